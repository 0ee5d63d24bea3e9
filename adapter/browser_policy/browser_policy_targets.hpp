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
    // Windows: a list key of numbered values ("1", "2", ...) below the browser's policy key in
    // HKLM, where IT's own entries may be too: ours are added after theirs and taken away alone.
    chromium_registry,
    firefox_registry,
};

struct BrowserPolicyTarget {
    std::string id;       // "chromium", "chrome", "edge", "firefox", "firefox-esr": stable, for scripts
    std::string browser;  // "Google Chrome": for people
    PolicyFormat format;
    std::filesystem::path file;            // the policy file (the file formats)
    std::string registry_key;              // "SOFTWARE\\Policies\\Google\\Chrome" (the registry formats)
    std::filesystem::path browser_folder;  // the browser's own folder in /etc
    bool only_when_present = false;        // written only when browser_folder exists
    // Any of them present: the browser is installed (doctor reports only those browsers).
    std::vector<std::filesystem::path> executables;
};

// The registry key whose values list a registry target's entries (Chrome's URL patterns, or
// Firefox's SkipDomains), below HKLM.
std::string registry_list_key(const BrowserPolicyTarget& target);

// This system's targets: linux_policy_targets, or windows_policy_targets on Windows.
std::vector<BrowserPolicyTarget> browser_policy_targets(const std::filesystem::path& root);

// The policy files below `root` of a Linux system.
std::vector<BrowserPolicyTarget> linux_policy_targets(const std::filesystem::path& root);
// The registry keys of a Windows system; `root` stands for the system drive (for executables).
std::vector<BrowserPolicyTarget> windows_policy_targets(const std::filesystem::path& root);

}  // namespace cti
