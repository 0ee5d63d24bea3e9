#include "platform/paths.hpp"

#include <cstdlib>

namespace cti::platform {
namespace {

namespace fs = std::filesystem;

// $VARIABLE/cti-adapter when set (as the XDG base directory spec says), else ~/fallback/cti-adapter.
fs::path xdg_dir(const char* variable, const char* fallback) {
    if (const char* xdg = std::getenv(variable); xdg && *xdg) return fs::path(xdg) / "cti-adapter";
    const char* home = std::getenv("HOME");
    return fs::path(home && *home ? home : ".") / fallback / "cti-adapter";
}

}  // namespace

fs::path user_config_file() { return xdg_dir("XDG_CONFIG_HOME", ".config") / "config.json"; }
fs::path machine_config_file() { return "/etc/cti-adapter/config.json"; }
fs::path state_dir() { return xdg_dir("XDG_STATE_HOME", ".local/state"); }
fs::path data_dir() { return xdg_dir("XDG_DATA_HOME", ".local/share"); }

fs::path runtime_dir() {
    // XDG_RUNTIME_DIR is per user, private and emptied at logout: right for "I am running here".
    if (const char* runtime = std::getenv("XDG_RUNTIME_DIR"); runtime && *runtime)
        return fs::path(runtime) / "cti-adapter";
    return state_dir() / "run";
}

fs::path native_socket_file() { return runtime_dir() / "native.sock"; }

}  // namespace cti::platform
