#include "browser_policy/browser_policy_targets.hpp"

namespace cti {

namespace fs = std::filesystem;

std::vector<BrowserPolicyTarget> browser_policy_targets(const fs::path& root) {
#ifdef _WIN32
    return windows_policy_targets(root);
#else
    return linux_policy_targets(root);
#endif
}

std::vector<BrowserPolicyTarget> linux_policy_targets(const fs::path& root) {
    // The Chromium family's system-wide managed folders, and Firefox's policies.json in /etc
    // (Mozilla's documented system-wide place on Linux). Debian's firefox-esr reads its own
    // /etc/firefox-esr: written only where that folder exists, so nothing is created for a
    // browser that is not there.
    return {
        {"chromium", "Chromium", PolicyFormat::chromium_managed_file,
         root / "etc/chromium/policies/managed/cti-adapter.json", "", root / "etc/chromium", false,
         {root / "usr/bin/chromium", root / "usr/lib/chromium/chromium"}},
        {"chrome", "Google Chrome", PolicyFormat::chromium_managed_file,
         root / "etc/opt/chrome/policies/managed/cti-adapter.json", "", root / "etc/opt/chrome", false,
         {root / "opt/google/chrome/chrome", root / "usr/bin/google-chrome"}},
        {"edge", "Microsoft Edge", PolicyFormat::chromium_managed_file,
         root / "etc/opt/edge/policies/managed/cti-adapter.json", "", root / "etc/opt/edge", false,
         {root / "opt/microsoft/msedge/msedge", root / "usr/bin/microsoft-edge"}},
        {"firefox", "Firefox", PolicyFormat::firefox_policies_json,
         root / "etc/firefox/policies/policies.json", "", root / "etc/firefox", false,
         {root / "usr/bin/firefox", root / "usr/lib/firefox/firefox"}},
        {"firefox-esr", "Firefox ESR", PolicyFormat::firefox_policies_json,
         root / "etc/firefox-esr/policies/policies.json", "", root / "etc/firefox-esr", true,
         {root / "usr/bin/firefox-esr", root / "usr/lib/firefox-esr/firefox-esr"}},
    };
}

std::vector<BrowserPolicyTarget> windows_policy_targets(const fs::path& root) {
    // The machine policy keys each browser documents (HKLM\SOFTWARE\Policies\...).
    const auto programs = root / "Program Files";
    const auto programs_x86 = root / "Program Files (x86)";
    return {
        {"chromium", "Chromium", PolicyFormat::chromium_registry, {}, "SOFTWARE\\Policies\\Chromium", {}, false,
         {programs / "Chromium/Application/chrome.exe"}},
        {"chrome", "Google Chrome", PolicyFormat::chromium_registry, {}, "SOFTWARE\\Policies\\Google\\Chrome", {}, false,
         {programs / "Google/Chrome/Application/chrome.exe", programs_x86 / "Google/Chrome/Application/chrome.exe"}},
        {"edge", "Microsoft Edge", PolicyFormat::chromium_registry, {}, "SOFTWARE\\Policies\\Microsoft\\Edge", {}, false,
         {programs_x86 / "Microsoft/Edge/Application/msedge.exe", programs / "Microsoft/Edge/Application/msedge.exe"}},
        {"firefox", "Firefox", PolicyFormat::firefox_registry, {}, "SOFTWARE\\Policies\\Mozilla\\Firefox", {}, false,
         {programs / "Mozilla Firefox/firefox.exe", programs_x86 / "Mozilla Firefox/firefox.exe"}},
    };
}

std::string registry_list_key(const BrowserPolicyTarget& target) {
    return target.registry_key + (target.format == PolicyFormat::firefox_registry
                                      ? "\\LocalNetworkAccess\\SkipDomains"
                                      : "\\LocalNetworkAccessAllowedForUrls");
}

}  // namespace cti
