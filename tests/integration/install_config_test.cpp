// `cti-adapter install-config` and `doctor` with the real executable, as the .deb runs them:
// install (config and browser policies), upgrade with other origins, remove keeping the config,
// and doctor's browser_policies check on the result. The browser folders are under a scratch
// --policy-root, so the test needs no root and leaves the system's own /etc alone.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "support/child_process.hpp"
#include "support/temp_dir.hpp"

using namespace cti::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

json read_json(const fs::path& file) {
    std::ifstream in(file);
    std::ostringstream text;
    text << in.rdbuf();
    return json::parse(text.str());
}

struct Install {
    TempDir dir;
    fs::path config = dir.path / "etc/cti-adapter/config.json";
    fs::path root = dir.path / "root";

    Install() {
        fs::create_directories(root / "usr/bin");
        std::ofstream(root / "usr/bin/chromium") << "";  // an installed Chromium, for doctor
    }
    RunResult install_config(std::vector<std::string> args) {
        args.insert(args.begin(), {"install-config", "--file", config.string(), "--policy-root", root.string()});
        return run_adapter_command(std::move(args));
    }
    json browser_policies_check() {
        const auto result = run_adapter_command({"doctor", "--json", "--config", config.string(), "--policy-root",
                                                 root.string()});
        const auto report = json::parse(result.out);
        for (const auto& check : report["checks"])
            if (check["id"] == "browser_policies") return check;
        FAIL("no browser_policies check in " << result.out);
        return nullptr;
    }
    fs::path chromium_policy() const { return root / "etc/chromium/policies/managed/cti-adapter.json"; }
};

}  // namespace

TEST_CASE("install-config writes the browser policies for the allowed origins, doctor sees them, remove takes them away",
          "[cli][install_config]") {
    Install machine;
    const auto first = machine.install_config({"--allowed-origins", "https://acme.my.salesforce.com"});
    INFO(first.out << first.err);
    REQUIRE(first.exit_code == 0);
    CHECK_THAT(first.out, Catch::Contains("browser policy written: Chromium: " + machine.chromium_policy().string()));
    CHECK(read_json(machine.chromium_policy())["LocalNetworkAccessAllowedForUrls"] ==
          json{"https://acme.my.salesforce.com"});
    auto check = machine.browser_policies_check();
    CHECK(check["status"] == "pass");
    CHECK(check["data"]["browsers"][0]["covered"] == json{"https://acme.my.salesforce.com"});

    // An upgrade run with no properties keeps the origins, and so the policies.
    REQUIRE(machine.install_config({}).exit_code == 0);
    CHECK(read_json(machine.chromium_policy())["LocalNetworkAccessAllowedForUrls"] ==
          json{"https://acme.my.salesforce.com"});
    // Other origins: the policies follow.
    REQUIRE(machine.install_config({"--allowed-origins", "https://help.example.com"}).exit_code == 0);
    CHECK(read_json(machine.chromium_policy())["LocalNetworkAccessAllowedForUrls"] == json{"https://help.example.com"});
    CHECK(read_json(machine.root / "etc/firefox/policies/policies.json")["policies"]["LocalNetworkAccess"]
              ["SkipDomains"] == json{"help.example.com"});

    const auto removed = machine.install_config({"--remove", "--keep-config"});
    INFO(removed.out << removed.err);
    REQUIRE(removed.exit_code == 0);
    CHECK_THAT(removed.out, Catch::Contains("browser policy removed: Chromium"));
    CHECK_FALSE(fs::exists(machine.root / "etc"));
    CHECK(fs::exists(machine.config));
    check = machine.browser_policies_check();
    CHECK(check["status"] == "info");
    CHECK(check["data"]["browsers"][0]["uncovered"] == json{"https://help.example.com"});

    REQUIRE(machine.install_config({"--remove"}).exit_code == 0);
    CHECK_FALSE(fs::exists(machine.config.parent_path()));
}

TEST_CASE("install-config --no-browser-policies writes none and takes away those written before", "[cli][install_config]") {
    Install machine;
    REQUIRE(machine.install_config({"--allowed-origins", "https://acme.my.salesforce.com"}).exit_code == 0);
    REQUIRE(fs::exists(machine.chromium_policy()));
    const auto result = machine.install_config({"--no-browser-policies"});
    INFO(result.out << result.err);
    REQUIRE(result.exit_code == 0);
    CHECK_FALSE(fs::exists(machine.root / "etc"));
    CHECK(read_json(machine.config)["allowed_origins"] == json{"https://acme.my.salesforce.com"});
}

TEST_CASE("install-config with an invalid origin exits 3 and writes neither config nor policies", "[cli][install_config]") {
    Install machine;
    const auto result = machine.install_config({"--allowed-origins", "ftp://acme.example.com"});
    CHECK(result.exit_code == 3);
    CHECK_THAT(result.err, Catch::Contains("allowed_origins"));
    CHECK_FALSE(fs::exists(machine.config));
    CHECK_FALSE(fs::exists(machine.root / "etc"));
}
