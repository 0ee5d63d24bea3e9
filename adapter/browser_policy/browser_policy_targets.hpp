// Where each browser reads the machine-wide policies that pre-approve the CRM's origins for
// local network access (docs/ADMIN.md, section 5.2). Paths are under a root ("/" on a real
// system) so that tests and image builders can write into a folder of their own.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace cti {

enum class PolicyFormat {
    // A file of our own in the browser's managed-policy folder (Chromium, Chrome, Edge): the
    // browser merges every *.json there, so the file is ours alone to write and delete.
    chromium_managed_file,
    // Firefox's one policies.json, shared with whatever else IT configures: we add our entries
    // to it and take away only those.
    firefox_policies_json,
};

struct BrowserPolicyTarget {
    std::string id;       // "chromium", "chrome", "edge", "firefox", "firefox-esr": stable, for scripts
    std::string browser;  // "Google Chrome": for people
    PolicyFormat format;
    std::filesystem::path file;            // the policy file
    std::filesystem::path browser_folder;  // the browser's own folder in /etc
    bool only_when_present = false;        // written only when browser_folder exists
    // Any of them present: the browser is installed (doctor reports only those browsers).
    std::vector<std::filesystem::path> executables;
};

// The Linux targets under `root`. Empty on Windows, where the policies are registry values.
std::vector<BrowserPolicyTarget> browser_policy_targets(const std::filesystem::path& root);

}  // namespace cti
