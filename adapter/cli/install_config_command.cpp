#include "cli/install_config_command.hpp"

#include <stdexcept>

#include "browser_policy/browser_policy_writer.hpp"

namespace cti {
namespace {

void print(const BrowserPolicyChanges& changes, std::ostream& out, std::ostream& err) {
    for (const auto& file : changes.written) out << "browser policy written: " << file << "\n";
    for (const auto& file : changes.removed) out << "browser policy removed: " << file << "\n";
    for (const auto& problem : changes.problems) err << "cti-adapter: browser policy: " << problem.message << "\n";
}

}  // namespace

int run_install_config(const InstallConfigOptions& options, std::span<const DriverFactory> drivers,
                       std::ostream& out, std::ostream& err) {
    const auto record = browser_policy_record_file(options.file);
    const auto registry = open_machine_policy_registry();
    if (options.remove) {
        print(remove_browser_policies(record, registry.get()), out, err);
        if (!options.keep_config) remove_machine_config(options.file);
        return 0;
    }
    auto written = write_machine_config(options.file, options.settings, drivers);
    // The disk refusing the file is no setting of IT's to correct: a runtime error (exit 1).
    if (!written && written.error().kind == ErrorKind::failed) throw std::runtime_error(written.error().message);
    const auto config = or_config_error(std::move(written));
    out << "machine config: " << options.file.string() << "\n";
    BrowserPolicySettings policy;
    if (options.browser_policies) policy.origins = config.allowed_origins;
    policy.frames = options.frame_policy;
    const auto targets = browser_policy_targets(options.policy_root);
    if (options.browser_policies && targets.empty())
        out << "browser policies: not written on this system by this build (docs/ADMIN.md, section 5.2)\n";
    print(sync_browser_policies(record, policy, targets, registry.get()), out, err);
    return 0;
}

}  // namespace cti
