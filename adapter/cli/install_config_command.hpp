// `cti-adapter install-config`: what the .deb and the MSI run at install, upgrade and removal.
// It writes the machine-wide config and keeps the browsers' local-network-access policies in
// step with its allowed origins (docs/ADMIN.md, sections 4 and 5.2).
#pragma once

#include <filesystem>
#include <ostream>
#include <span>

#include "cli/machine_config.hpp"
#include "cti/driver_registry.hpp"

namespace cti {

struct InstallConfigOptions {
    std::filesystem::path file;  // the machine-wide config
    MachineSettings settings;
    bool remove = false;            // uninstall: the policies written, then the config
    bool keep_config = false;       // with remove: the policies only (dpkg keeps its conffile)
    bool browser_policies = true;   // false: write none (and take away those written before)
    bool frame_policy = true;       // LocalNetworkAccessPermissionsPolicyDefaultEnabled too
    std::filesystem::path policy_root = "/";  // a folder standing for / (tests, image builds)
};

// Prints what it wrote or removed to `out`, and each browser it could not cover to `err`; a
// browser that cannot be covered does not fail the install (the prompt still works, and doctor
// reports it). Throws ConfigError (exit code 3) for an invalid setting, before anything is written.
int run_install_config(const InstallConfigOptions& options, std::span<const DriverFactory> drivers,
                       std::ostream& out, std::ostream& err);

}  // namespace cti
