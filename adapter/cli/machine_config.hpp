// `cti-adapter install-config`: writes what IT deploys into the machine-wide config file.
// The Windows installer runs it with its PORT, ALLOWED_ORIGINS and DRIVER properties (a JSON
// file cannot be written from an MSI's own tables), and with --remove when it is uninstalled.
#pragma once

#include <filesystem>
#include <span>
#include <string>

#include "config/config.hpp"
#include "cti/driver_registry.hpp"

namespace cti {

// Settings as the installer passes them: text, and "" for a property that was not given.
struct MachineSettings {
    std::string port;             // "11000"
    std::string allowed_origins;  // "https://a.example.com,https://b.example.com" (or ; or spaces)
    std::string driver;           // "simulator"
};

// Sets the given settings in `file`, keeping every other key (an upgrade or a second run with
// fewer properties loses nothing); with no setting given an existing file is only read. The
// result is validated as the adapter would read it before
// anything is written; the error names the setting and what was expected (invalid_input). A
// file that cannot be written is `failed`, naming the file. Returns the config as written.
Result<Config> write_machine_config(const std::filesystem::path& file, const MachineSettings& settings,
                                   std::span<const DriverFactory> drivers);

// Removes `file`, and its folder when nothing else is left in it.
void remove_machine_config(const std::filesystem::path& file);

}  // namespace cti
