#include "browser_policy/browser_policy_coverage.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "browser_policy/policy_origins.hpp"

namespace cti {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

bool any_exists(const std::vector<fs::path>& paths) {
    std::error_code ec;
    return std::any_of(paths.begin(), paths.end(), [&](const fs::path& path) { return fs::exists(path, ec); });
}

// Records a problem and returns null when the file is not a JSON object.
json read_policy_file(const fs::path& file, BrowserPolicyCoverage& coverage) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    auto value = json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
    if (!in || value.is_discarded() || !value.is_object()) {
        coverage.problems.push_back(file.string() + ": not a JSON object, so the browser ignores it");
        return nullptr;
    }
    coverage.files_read.push_back(file);
    return value;
}

// The browser reads every *.json of its managed folder; an origin is covered when any of them
// lists a pattern for it.
void read_chromium_folder(const fs::path& folder, std::vector<std::string>& patterns,
                          BrowserPolicyCoverage& coverage) {
    std::error_code ec;
    std::vector<fs::path> files;
    for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec))
        if (it->path().extension() == ".json" && it->is_regular_file(ec)) files.push_back(it->path());
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
        const auto policy = read_policy_file(file, coverage);
        if (policy.is_null()) continue;
        for (const auto& pattern : policy.value("LocalNetworkAccessAllowedForUrls", json::array()))
            if (pattern.is_string()) patterns.push_back(pattern.get<std::string>());
        if (policy.value("LocalNetworkAccessPermissionsPolicyDefaultEnabled", false) == true)
            coverage.frames = true;
    }
}

void read_firefox_file(const fs::path& file, std::vector<std::string>& domains, BrowserPolicyCoverage& coverage) {
    std::error_code ec;
    if (!fs::exists(file, ec)) return;
    const auto policies = read_policy_file(file, coverage);
    if (policies.is_null()) return;
    const auto access = policies.value("policies", json::object()).value("LocalNetworkAccess", json::object());
    if (!access.is_object()) return;
    for (const auto& domain : access.value("SkipDomains", json::array()))
        if (domain.is_string()) domains.push_back(domain.get<std::string>());
}

// IT's entries and ours alike: every value of the browser's list key.
void read_registry(const BrowserPolicyTarget& target, const PolicyRegistry* registry, std::vector<std::string>& entries,
                   BrowserPolicyCoverage& coverage) {
    if (!registry) return;
    const bool firefox = target.format == PolicyFormat::firefox_registry;
    const auto list_key = registry_list_key(target);
    for (const auto& [name, data] : registry->strings(list_key)) entries.push_back(data);
    coverage.files_read.push_back("HKLM\\" + list_key);
    if (!firefox && registry->dword(target.registry_key, "LocalNetworkAccessPermissionsPolicyDefaultEnabled") == 1u)
        coverage.frames = true;
}

}  // namespace

std::vector<BrowserPolicyCoverage> browser_policy_coverage(const std::vector<std::string>& origins,
                                                           std::span<const BrowserPolicyTarget> targets,
                                                           const PolicyRegistry* registry) {
    const auto needed = origins_needing_policy(origins);
    std::vector<BrowserPolicyCoverage> result;
    for (const auto& target : targets) {
        BrowserPolicyCoverage coverage;
        coverage.id = target.id;
        coverage.browser = target.browser;
        coverage.installed = any_exists(target.executables);
        std::vector<std::string> entries;
        const bool chromium = target.format == PolicyFormat::chromium_managed_file ||
                              target.format == PolicyFormat::chromium_registry;
        if (target.format == PolicyFormat::chromium_managed_file)
            read_chromium_folder(target.file.parent_path(), entries, coverage);
        else if (target.format == PolicyFormat::firefox_policies_json)
            read_firefox_file(target.file, entries, coverage);
        else
            read_registry(target, registry, entries, coverage);
        coverage.frames = coverage.frames || !chromium;
        for (const auto& origin : needed) {
            const bool covered = std::any_of(entries.begin(), entries.end(), [&](const std::string& entry) {
                return chromium ? chromium_pattern_covers(entry, origin) : firefox_domain_covers(entry, origin);
            });
            (covered ? coverage.covered : coverage.uncovered).push_back(origin);
        }
        result.push_back(std::move(coverage));
    }
    return result;
}

}  // namespace cti
