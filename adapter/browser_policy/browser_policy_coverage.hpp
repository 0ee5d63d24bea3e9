// Which allowed origins the browsers' policies on this machine pre-approve for local network
// access, whoever wrote them (install-config, or IT's own files): what doctor reports.
#pragma once

#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "browser_policy/browser_policy_targets.hpp"
#include "browser_policy/policy_registry.hpp"

namespace cti {

struct BrowserPolicyCoverage {
    std::string id;       // the target's id
    std::string browser;
    bool installed = false;
    std::vector<std::filesystem::path> files_read;  // or the registry keys read
    std::vector<std::string> covered;    // origins a policy names
    std::vector<std::string> uncovered;  // origins the agent has to allow at the prompt
    // Chromium family: LocalNetworkAccessPermissionsPolicyDefaultEnabled is set, so a framed
    // softphone may use the permission too. Always true for Firefox (no such key).
    bool frames = false;
    std::vector<std::string> problems;  // a policy file that could not be read
};

// One entry per target, for `origins` (normalised; loopback ones are left out). `registry` is
// read for the registry formats (null: they cover nothing).
std::vector<BrowserPolicyCoverage> browser_policy_coverage(const std::vector<std::string>& origins,
                                                           std::span<const BrowserPolicyTarget> targets,
                                                           const PolicyRegistry* registry = nullptr);

}  // namespace cti
