// Where the adapter keeps its files on each operating system. The one place that knows.
//
//                 Linux (XDG)                              Windows
//   user config   $XDG_CONFIG_HOME/cti-adapter/config.json %APPDATA%\cti-adapter\config.json
//   machine config /etc/cti-adapter/config.json             %ProgramData%\cti-adapter\config.json
//   state (logs)  $XDG_STATE_HOME/cti-adapter              %LOCALAPPDATA%\cti-adapter\logs
//   data (journal) $XDG_DATA_HOME/cti-adapter              %LOCALAPPDATA%\cti-adapter
//   runtime       $XDG_RUNTIME_DIR/cti-adapter             %LOCALAPPDATA%\cti-adapter\run
//   native socket $XDG_RUNTIME_DIR/cti-adapter/native.sock (none yet)
//
// The machine config is what IT deploys (package, MSI properties); a user's own config, when
// present, overrides it.
#pragma once

#include <filesystem>

namespace cti::platform {

std::filesystem::path user_config_file();
std::filesystem::path machine_config_file();
std::filesystem::path state_dir();
std::filesystem::path data_dir();
// Files that live only while the adapter runs (the discovery file naming the bound port).
std::filesystem::path runtime_dir();
// The same-user socket the native messaging host reaches the adapter on (Unix domain socket).
std::filesystem::path native_socket_file();

}  // namespace cti::platform
