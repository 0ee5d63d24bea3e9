// Writes and takes away the browser policies that pre-approve the allowed origins for local
// network access, so a CRM page reaches the adapter with no prompt (docs/ADMIN.md, section
// 5.2). What was written is kept in a record file, so that --remove takes away exactly that and
// an upgrade with other origins replaces it.
#pragma once

#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "browser_policy/browser_policy_targets.hpp"
#include "browser_policy/policy_registry.hpp"
#include "cti/result.hpp"

namespace cti {

struct BrowserPolicySettings {
    std::vector<std::string> origins;  // normalised; loopback ones are left out (they need no policy)
    // Also LocalNetworkAccessPermissionsPolicyDefaultEnabled, without which Chromium does not
    // let a cross-origin iframe (Salesforce's softphone panel) use the origins' permission.
    bool frames = true;
};

struct BrowserPolicyChanges {
    std::vector<std::string> written;   // "Chromium: /etc/chromium/policies/managed/cti-adapter.json"
    std::vector<std::string> removed;
    // A file or key that could not be read or written: its message names it and says why. That
    // browser is not covered (doctor says so) and the others are written all the same.
    std::vector<Error> problems;
};

// Takes away what `record_file` says was written before, then writes the policies for
// `settings` into every target (and records them). No origin needing a policy: nothing is written.
// `registry` is where the registry formats go (Windows' HKLM); null where there is none.
BrowserPolicyChanges sync_browser_policies(const std::filesystem::path& record_file,
                                           const BrowserPolicySettings& settings,
                                           std::span<const BrowserPolicyTarget> targets,
                                           PolicyRegistry* registry = nullptr);

// Takes away what `record_file` says was written, then the record itself.
BrowserPolicyChanges remove_browser_policies(const std::filesystem::path& record_file,
                                             PolicyRegistry* registry = nullptr);

// The record beside the machine config: /etc/cti-adapter/browser-policies.json.
std::filesystem::path browser_policy_record_file(const std::filesystem::path& machine_config);

}  // namespace cti
