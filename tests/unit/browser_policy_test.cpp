// The browser policies that pre-approve the allowed origins for local network access: what
// install-config writes for each browser, how it keeps them in step and takes them away, and how
// doctor reads what covers an origin. Everything is written under a scratch root.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "../support/temp_dir.hpp"
#include "browser_policy/browser_policy_coverage.hpp"
#include "browser_policy/browser_policy_writer.hpp"
#include "browser_policy/policy_origins.hpp"
#include "config/config.hpp"
#include "cti/driver_registry.hpp"
#include "doctor/browser_policy_check.hpp"

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const std::vector<std::string> crm_origins{"https://acme.my.salesforce.com", "https://help.example.com:8443",
                                           "http://127.0.0.1:11000"};

json read_json(const fs::path& file) {
    std::ifstream in(file);
    std::ostringstream text;
    text << in.rdbuf();
    return json::parse(text.str());
}

void write_text(const fs::path& file, const std::string& text) {
    fs::create_directories(file.parent_path());
    std::ofstream(file) << text;
}

// Every file and folder under `root`, as paths relative to it.
std::vector<std::string> tree(const fs::path& root) {
    std::vector<std::string> paths;
    for (const auto& entry : fs::recursive_directory_iterator(root))
        paths.push_back(fs::relative(entry.path(), root).string());
    std::sort(paths.begin(), paths.end());
    return paths;
}

struct Machine {
    cti::test::TempDir dir;
    fs::path root = dir.path / "root";
    fs::path record = dir.path / "etc-cti-adapter" / "browser-policies.json";
    std::vector<cti::BrowserPolicyTarget> targets = cti::browser_policy_targets(root);

    Machine() {
        fs::create_directories(root / "etc");
        fs::create_directories(record.parent_path());
    }
    cti::BrowserPolicyChanges sync(std::vector<std::string> origins, bool frames = true) {
        return cti::sync_browser_policies(record, {std::move(origins), frames}, targets);
    }
    fs::path chromium() const { return root / "etc/chromium/policies/managed/cti-adapter.json"; }
    fs::path chrome() const { return root / "etc/opt/chrome/policies/managed/cti-adapter.json"; }
    fs::path edge() const { return root / "etc/opt/edge/policies/managed/cti-adapter.json"; }
    fs::path firefox() const { return root / "etc/firefox/policies/policies.json"; }
};

}  // namespace

TEST_CASE("only the allowed origins that are not loopback need a policy", "[browser_policy]") {
    CHECK(cti::origins_needing_policy({"https://crm.example.com", "http://127.0.0.1:11000", "http://localhost:3000",
                                       "http://[::1]:8080", "https://127.example.com", "https://crm.example.com"}) ==
          std::vector<std::string>{"https://crm.example.com", "https://127.example.com"});
    CHECK(cti::origin_host("https://acme.my.salesforce.com:8443") == "acme.my.salesforce.com");
}

TEST_CASE("a Chromium URL pattern covers an origin as the browsers match it", "[browser_policy]") {
    const std::string origin = "https://acme.my.salesforce.com";
    CHECK(cti::chromium_pattern_covers("https://acme.my.salesforce.com", origin));
    CHECK(cti::chromium_pattern_covers("https://ACME.my.salesforce.com/", origin));
    CHECK(cti::chromium_pattern_covers("https://acme.my.salesforce.com:443", origin));
    CHECK(cti::chromium_pattern_covers("acme.my.salesforce.com", origin));
    CHECK(cti::chromium_pattern_covers("[*.]salesforce.com", origin));
    CHECK(cti::chromium_pattern_covers("https://[*.]my.salesforce.com", origin));
    CHECK(cti::chromium_pattern_covers("*", origin));
    CHECK_FALSE(cti::chromium_pattern_covers("http://acme.my.salesforce.com", origin));
    CHECK_FALSE(cti::chromium_pattern_covers("https://acme.my.salesforce.com:8443", origin));
    CHECK_FALSE(cti::chromium_pattern_covers("https://other.my.salesforce.com", origin));
    CHECK_FALSE(cti::chromium_pattern_covers("[*.]force.com", "https://acme.my.salesforce.com"));
    CHECK(cti::firefox_domain_covers("acme.my.salesforce.com", origin));
    CHECK(cti::firefox_domain_covers("*.salesforce.com", origin));
    CHECK_FALSE(cti::firefox_domain_covers("salesforce.com", origin));
}

TEST_CASE("install-config's policies: one file per Chromium browser and Firefox's SkipDomains", "[browser_policy]") {
    Machine machine;
    const auto changes = machine.sync(crm_origins);
    CHECK(changes.problems.empty());
    CHECK(changes.written.size() == 4);  // no /etc/firefox-esr here: nothing for Firefox ESR
    const json expected{{"LocalNetworkAccessAllowedForUrls", {"https://acme.my.salesforce.com", "https://help.example.com:8443"}},
                        {"LocalNetworkAccessPermissionsPolicyDefaultEnabled", true}};
    for (const auto& file : {machine.chromium(), machine.chrome(), machine.edge()}) {
        INFO(file);
        CHECK(read_json(file) == expected);
        // Every user's browser reads it; nobody but root writes it.
        CHECK((fs::status(file).permissions() & fs::perms::all) ==
              (fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read));
    }
    CHECK(read_json(machine.firefox()) ==
          json{{"policies", {{"LocalNetworkAccess", {{"SkipDomains", {"acme.my.salesforce.com", "help.example.com"}}}}}}});
    CHECK(fs::exists(machine.record));
    CHECK_FALSE(fs::exists(machine.root / "etc/firefox-esr"));

    SECTION("without the frame policy, the origins only") {
        machine.sync(crm_origins, /*frames=*/false);
        CHECK(read_json(machine.chromium()) ==
              json{{"LocalNetworkAccessAllowedForUrls", {"https://acme.my.salesforce.com", "https://help.example.com:8443"}}});
    }
    SECTION("remove takes away every file and folder it made") {
        const auto removed = cti::remove_browser_policies(machine.record);
        CHECK(removed.problems.empty());
        CHECK(removed.removed.size() == 4);
        CHECK(tree(machine.root) == std::vector<std::string>{"etc"});
        CHECK_FALSE(fs::exists(machine.record));
    }
}

TEST_CASE("an upgrade with other origins keeps the policies in step, and IT's own entries stay", "[browser_policy]") {
    Machine machine;
    // IT's own Firefox policies and a Chromium policy file of theirs, there before the adapter.
    write_text(machine.firefox(), R"({"policies": {"DisableTelemetry": true,
        "LocalNetworkAccess": {"SkipDomains": ["intranet.example.com", "help.example.com"]}}})");
    write_text(machine.root / "etc/chromium/policies/managed/it.json", R"({"HomepageLocation": "https://intranet.example.com"})");
    fs::create_directories(machine.root / "etc/firefox-esr");

    machine.sync(crm_origins);
    CHECK(read_json(machine.firefox())["policies"]["LocalNetworkAccess"]["SkipDomains"] ==
          json{"intranet.example.com", "help.example.com", "acme.my.salesforce.com"});
    CHECK(fs::exists(machine.root / "etc/firefox-esr/policies/policies.json"));

    const auto changes = machine.sync({"https://new.example.org"});
    CHECK(changes.problems.empty());
    CHECK(read_json(machine.chromium())["LocalNetworkAccessAllowedForUrls"] == json{"https://new.example.org"});
    // help.example.com was IT's before it was ours: it stays; acme (ours) goes.
    CHECK(read_json(machine.firefox()) ==
          json{{"policies", {{"DisableTelemetry", true},
                             {"LocalNetworkAccess", {{"SkipDomains", {"intranet.example.com", "help.example.com",
                                                                      "new.example.org"}}}}}}});

    cti::remove_browser_policies(machine.record);
    CHECK(read_json(machine.firefox()) ==
          json{{"policies", {{"DisableTelemetry", true},
                             {"LocalNetworkAccess", {{"SkipDomains", {"intranet.example.com", "help.example.com"}}}}}}});
    CHECK(fs::exists(machine.root / "etc/chromium/policies/managed/it.json"));
    CHECK_FALSE(fs::exists(machine.chromium()));
    CHECK_FALSE(fs::exists(machine.chrome()));
    CHECK_FALSE(fs::exists(machine.root / "etc/opt"));
    CHECK_FALSE(fs::exists(machine.root / "etc/firefox-esr/policies"));
    CHECK(fs::exists(machine.root / "etc/firefox-esr"));
}

TEST_CASE("origins that need no policy write none, and take away those written before", "[browser_policy]") {
    Machine machine;
    machine.sync(crm_origins);
    const auto changes = machine.sync({"http://127.0.0.1:11000"});
    CHECK(changes.written.empty());
    CHECK(changes.removed.size() == 4);
    CHECK(tree(machine.root) == std::vector<std::string>{"etc"});
    CHECK_FALSE(fs::exists(machine.record));
}

TEST_CASE("a Firefox policies.json that is not JSON is left alone, named, and the others are written", "[browser_policy]") {
    Machine machine;
    write_text(machine.firefox(), "{\"policies\": {");
    const auto changes = machine.sync(crm_origins);
    REQUIRE(changes.problems.size() == 1);
    CHECK(changes.problems[0].kind == cti::ErrorKind::invalid_input);
    CHECK_THAT(changes.problems[0].message,
               Catch::Contains(machine.firefox().string()) && Catch::Contains("not a JSON object"));
    CHECK(changes.written.size() == 3);
    std::ifstream in(machine.firefox());
    CHECK(std::string(std::istreambuf_iterator<char>(in), {}) == "{\"policies\": {");
    cti::remove_browser_policies(machine.record);
    CHECK(fs::exists(machine.firefox()));
}

TEST_CASE("coverage: what any policy file of the browser pre-approves, and which browsers are installed",
          "[browser_policy]") {
    Machine machine;
    write_text(machine.root / "usr/bin/chromium", "");
    write_text(machine.root / "usr/bin/firefox", "");
    write_text(machine.root / "etc/chromium/policies/managed/it.json",
               R"({"LocalNetworkAccessAllowedForUrls": ["[*.]salesforce.com"]})");
    write_text(machine.root / "etc/chromium/policies/managed/broken.json", "not json");

    auto coverage = cti::browser_policy_coverage(crm_origins, machine.targets);
    REQUIRE(coverage.size() == 5);
    CHECK(coverage[0].id == "chromium");
    CHECK(coverage[0].installed);
    CHECK(coverage[0].covered == std::vector<std::string>{"https://acme.my.salesforce.com"});
    CHECK(coverage[0].uncovered == std::vector<std::string>{"https://help.example.com:8443"});
    CHECK_FALSE(coverage[0].frames);
    REQUIRE(coverage[0].problems.size() == 1);
    CHECK_THAT(coverage[0].problems[0], Catch::Contains("broken.json"));
    CHECK_FALSE(coverage[1].installed);  // Chrome
    CHECK(coverage[3].installed);        // Firefox
    CHECK(coverage[3].covered.empty());

    fs::remove(machine.root / "etc/chromium/policies/managed/broken.json");
    machine.sync(crm_origins);
    coverage = cti::browser_policy_coverage(crm_origins, machine.targets);
    CHECK(coverage[0].uncovered.empty());
    CHECK(coverage[0].frames);
    CHECK(coverage[3].uncovered.empty());
}

TEST_CASE("doctor's browser_policies check: a note until every installed browser covers the origins",
          "[browser_policy][doctor]") {
    Machine machine;
    write_text(machine.root / "usr/bin/chromium", "");
    const auto config = cti::parse_config(
        R"({"allowed_origins": ["https://acme.my.salesforce.com", "http://localhost:3000"]})", "test", cti::builtin_drivers())
                            .value();

    auto check = cti::check_browser_policies(config, machine.root);
    CHECK(check.id == "browser_policies");
    CHECK(check.status == cti::CheckStatus::info);
    CHECK_THAT(check.detail, Catch::Contains("Chromium: no policy pre-approves https://acme.my.salesforce.com"));
    CHECK_THAT(check.remedy, Catch::Contains("install-config"));
    CHECK(check.data["origins"] == json{"https://acme.my.salesforce.com"});

    machine.sync(config.allowed_origins, /*frames=*/false);
    check = cti::check_browser_policies(config, machine.root);
    CHECK(check.status == cti::CheckStatus::info);
    CHECK_THAT(check.detail, Catch::Contains("cross-origin iframe"));

    machine.sync(config.allowed_origins);
    check = cti::check_browser_policies(config, machine.root);
    CHECK(check.status == cti::CheckStatus::pass);
    CHECK(check.detail == "Chromium: every CRM origin is pre-approved");
    CHECK(check.remedy.empty());

    const auto loopback_only = cti::parse_config(R"({"allowed_origins": ["http://localhost:3000"]})", "test",
                                                 cti::builtin_drivers())
                                   .value();
    CHECK(cti::check_browser_policies(loopback_only, machine.root).status == cti::CheckStatus::pass);
}

namespace {

// HKLM in memory: key -> value name -> REG_SZ or REG_DWORD data.
class MemoryRegistry final : public cti::PolicyRegistry {
public:
    std::map<std::string, std::map<std::string, std::string>> strings_by_key;
    std::map<std::string, std::map<std::string, std::uint32_t>> dwords_by_key;
    std::set<std::string> keys;
    std::string refused_key;  // writing a value to it fails, as HKLM does without elevation

    std::map<std::string, std::string> strings(const std::string& key) const override {
        const auto it = strings_by_key.find(key);
        return it == strings_by_key.end() ? std::map<std::string, std::string>{} : it->second;
    }
    std::optional<std::uint32_t> dword(const std::string& key, const std::string& name) const override {
        const auto it = dwords_by_key.find(key);
        if (it == dwords_by_key.end() || !it->second.contains(name)) return std::nullopt;
        return it->second.at(name);
    }
    cti::Result<> set_string(const std::string& key, const std::string& name, const std::string& data) override {
        if (key == refused_key) return cti::fail(cti::ErrorKind::failed, "HKLM\\" + key + ": cannot set a value (error 5)");
        create(key);
        strings_by_key[key][name] = data;
        return {};
    }
    cti::Result<> set_dword(const std::string& key, const std::string& name, std::uint32_t data) override {
        create(key);
        dwords_by_key[key][name] = data;
        return {};
    }
    cti::Result<> remove_value(const std::string& key, const std::string& name) override {
        strings_by_key[key].erase(name);
        dwords_by_key[key].erase(name);
        return {};
    }
    void remove_key_if_empty(const std::string& key) override {
        const bool has_values = !strings_by_key[key].empty() || !dwords_by_key[key].empty();
        const bool has_subkeys = std::any_of(keys.begin(), keys.end(), [&](const std::string& other) {
            return other.size() > key.size() && other.starts_with(key + "\\");
        });
        if (!has_values && !has_subkeys) keys.erase(key);
    }

private:
    void create(const std::string& key) {
        for (auto at = key.find('\\'); at != std::string::npos; at = key.find('\\', at + 1)) keys.insert(key.substr(0, at));
        keys.insert(key);
    }
};

constexpr const char* chrome_list = "SOFTWARE\\Policies\\Google\\Chrome\\LocalNetworkAccessAllowedForUrls";
constexpr const char* firefox_list = "SOFTWARE\\Policies\\Mozilla\\Firefox\\LocalNetworkAccess\\SkipDomains";

}  // namespace

TEST_CASE("Windows: the registry lists get our origins after IT's, and lose only ours", "[browser_policy]") {
    cti::test::TempDir dir;
    const auto record = dir.path / "browser-policies.json";
    const auto targets = cti::windows_policy_targets(dir.path);
    MemoryRegistry registry;
    registry.set_string("SOFTWARE\\Policies\\Google\\Chrome", "HomepageLocation", "https://intranet.example.com");
    registry.set_string(chrome_list, "1", "https://intranet.example.com");
    registry.set_string(chrome_list, "2", "https://help.example.com:8443");  // IT listed one of ours already
    registry.set_dword("SOFTWARE\\Policies\\Microsoft\\Edge", "LocalNetworkAccessPermissionsPolicyDefaultEnabled", 0);

    const auto changes = cti::sync_browser_policies(record, {crm_origins, true}, targets, &registry);
    CHECK(changes.problems.empty());
    CHECK(changes.written.size() == 4);
    CHECK(registry.strings(chrome_list) == std::map<std::string, std::string>{{"1", "https://intranet.example.com"},
                                                                               {"2", "https://help.example.com:8443"},
                                                                               {"3", "https://acme.my.salesforce.com"}});
    CHECK(registry.dword("SOFTWARE\\Policies\\Google\\Chrome", "LocalNetworkAccessPermissionsPolicyDefaultEnabled") == 1u);
    // IT turned the frame policy off for Edge: left as they set it.
    CHECK(registry.dword("SOFTWARE\\Policies\\Microsoft\\Edge", "LocalNetworkAccessPermissionsPolicyDefaultEnabled") == 0u);
    CHECK(registry.strings(firefox_list) ==
          std::map<std::string, std::string>{{"1", "acme.my.salesforce.com"}, {"2", "help.example.com"}});

    auto coverage = cti::browser_policy_coverage(crm_origins, targets, &registry);
    CHECK(coverage[1].id == "chrome");
    CHECK(coverage[1].uncovered.empty());
    CHECK(coverage[1].frames);
    CHECK_FALSE(coverage[2].frames);  // Edge

    // An upgrade with another origin: ours follow, IT's stay.
    cti::sync_browser_policies(record, {{"https://new.example.org"}, true}, targets, &registry);
    CHECK(registry.strings(chrome_list) == std::map<std::string, std::string>{{"1", "https://intranet.example.com"},
                                                                               {"2", "https://help.example.com:8443"},
                                                                               {"3", "https://new.example.org"}});

    const auto removed = cti::remove_browser_policies(record, &registry);
    CHECK(removed.problems.empty());
    CHECK(registry.strings(chrome_list) == std::map<std::string, std::string>{{"1", "https://intranet.example.com"},
                                                                               {"2", "https://help.example.com:8443"}});
    CHECK_FALSE(registry.dword("SOFTWARE\\Policies\\Google\\Chrome", "LocalNetworkAccessPermissionsPolicyDefaultEnabled"));
    CHECK(registry.keys.contains("SOFTWARE\\Policies\\Google\\Chrome"));
    // Keys that held only ours are gone, up to SOFTWARE\Policies.
    CHECK_FALSE(registry.keys.contains("SOFTWARE\\Policies\\Mozilla"));
    CHECK_FALSE(registry.keys.contains("SOFTWARE\\Policies\\Chromium"));
    CHECK(registry.keys.contains("SOFTWARE\\Policies"));
    CHECK_FALSE(fs::exists(record));
}

TEST_CASE("a Firefox policies.json whose \"policies\" is not an object is left as it is, named", "[browser_policy]") {
    Machine machine;
    write_text(machine.firefox(), R"({"policies": ["IT's, whatever it is"]})");
    const auto changes = machine.sync(crm_origins);
    REQUIRE(changes.problems.size() == 1);
    CHECK(changes.problems[0].kind == cti::ErrorKind::invalid_input);
    CHECK(changes.problems[0].message == "Firefox: " + machine.firefox().string() + ": not written: " +
                                             machine.firefox().string() + ": \"policies\" is not an object; left as it is");
    CHECK(changes.written.size() == 3);
    CHECK(read_json(machine.firefox()) == json{{"policies", {"IT's, whatever it is"}}});
}

TEST_CASE("a policy folder that cannot be made is a failure naming it, and the others are written", "[browser_policy]") {
    Machine machine;
    write_text(machine.root / "etc/chromium", "a file where the folder goes");
    const auto changes = machine.sync(crm_origins);
    REQUIRE(changes.problems.size() == 1);
    CHECK(changes.problems[0].kind == cti::ErrorKind::failed);
    CHECK_THAT(changes.problems[0].message,
               Catch::StartsWith("Chromium: " + machine.chromium().string() + ": not written: " +
                                 (machine.root / "etc/chromium/policies").string() + ": cannot be created ("));
    CHECK(changes.written.size() == 3);
}

TEST_CASE("Windows: no registry, or a registry refusing a value, is a problem naming the key", "[browser_policy]") {
    cti::test::TempDir dir;
    const auto record = dir.path / "browser-policies.json";
    const auto targets = cti::windows_policy_targets(dir.path);

    const auto without = cti::sync_browser_policies(record, {crm_origins, true}, targets, nullptr);
    CHECK(without.written.empty());
    REQUIRE_FALSE(without.problems.empty());
    CHECK(without.problems[0].kind == cti::ErrorKind::unsupported);
    CHECK_THAT(without.problems[0].message,
               Catch::StartsWith("Chromium: HKLM\\") && Catch::EndsWith(": not written: this system has no policy registry"));

    MemoryRegistry registry;
    registry.refused_key = chrome_list;
    const auto refused = cti::sync_browser_policies(record, {crm_origins, true}, targets, &registry);
    REQUIRE(refused.problems.size() == 1);
    CHECK(refused.problems[0].kind == cti::ErrorKind::failed);
    CHECK(refused.problems[0].message == std::string("Google Chrome: HKLM\\") + chrome_list + ": not written: HKLM\\" +
                                             chrome_list + ": cannot set a value (error 5)");
    CHECK(refused.written.size() == 3);
}
