#include "doctor/browser_policy_check.hpp"

#include "browser_policy/browser_policy_coverage.hpp"
#include "browser_policy/policy_origins.hpp"

namespace cti {
namespace {

constexpr const char* install_remedy =
    "to pre-approve them, run `sudo cti-adapter install-config` (it writes the policies for the "
    "allowed origins; docs/ADMIN.md, section 5.2), or deploy LocalNetworkAccessAllowedForUrls "
    "(Chromium, Chrome, Edge) or LocalNetworkAccess.SkipDomains (Firefox) yourself; until then the "
    "agent allows the site once at the browser's prompt";

std::string join(const std::vector<std::string>& items) {
    std::string text;
    for (const auto& item : items) text += (text.empty() ? "" : ", ") + item;
    return text;
}

std::string describe(const BrowserPolicyCoverage& coverage) {
    std::string line = coverage.browser + ": ";
    if (coverage.uncovered.empty()) line += "every CRM origin is pre-approved";
    else if (coverage.covered.empty()) line += "no policy pre-approves " + join(coverage.uncovered);
    else line += "pre-approves " + join(coverage.covered) + "; not " + join(coverage.uncovered);
    if (!coverage.covered.empty() && !coverage.frames)
        line += " (a top-level page only: LocalNetworkAccessPermissionsPolicyDefaultEnabled is not set, "
                "so a softphone in a cross-origin iframe still needs the parent's allow=\"local-network-access\")";
    for (const auto& problem : coverage.problems) line += "\n  " + problem;
    return line;
}

nlohmann::json to_json(const BrowserPolicyCoverage& coverage) {
    auto files = nlohmann::json::array();
    for (const auto& file : coverage.files_read) files.push_back(file.string());
    return {{"id", coverage.id},         {"browser", coverage.browser},     {"installed", coverage.installed},
            {"covered", coverage.covered}, {"uncovered", coverage.uncovered}, {"frames", coverage.frames},
            {"files", files},             {"problems", coverage.problems}};
}

}  // namespace

CheckResult check_browser_policies(const Config& config, const std::filesystem::path& policy_root) {
    CheckResult check{"browser_policies", "browser policies", CheckStatus::pass, "", "", {}};
    const auto origins = origins_needing_policy(config.allowed_origins);
    check.data["origins"] = origins;
    check.data["browsers"] = nlohmann::json::array();
    if (origins.empty()) {
        check.detail = "no CRM origin is allowed besides loopback pages, which need no policy";
        return check;
    }
    const auto targets = browser_policy_targets(policy_root);
    if (targets.empty()) {
        check.status = CheckStatus::info;
        check.detail = "not checked on this system: see chrome://policy, edge://policy or about:policies";
        return check;
    }
    const auto registry = open_machine_policy_registry();
    bool any_installed = false;
    for (const auto& coverage : browser_policy_coverage(origins, targets, registry.get())) {
        check.data["browsers"].push_back(to_json(coverage));
        if (!coverage.installed) continue;
        any_installed = true;
        check.detail += (check.detail.empty() ? "" : "\n") + describe(coverage);
        if (!coverage.problems.empty()) check.status = CheckStatus::warn;
        else if ((!coverage.uncovered.empty() || !coverage.frames) && check.status == CheckStatus::pass)
            check.status = CheckStatus::info;
    }
    if (!any_installed) {
        check.status = CheckStatus::info;
        check.detail = "no Chromium, Chrome, Edge or Firefox found on this machine";
        return check;
    }
    if (check.status != CheckStatus::pass) check.remedy = install_remedy;
    return check;
}

}  // namespace cti
