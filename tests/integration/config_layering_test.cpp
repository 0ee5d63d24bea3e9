// The machine config (IT's) with the user's own over it, with the real executable.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "support/user_adapter.hpp"

using namespace cti::test;
using nlohmann::json;

TEST_CASE("the user's config overrides the machine config key by key", "[config][layers]") {
    UserHome home;
    const auto port = unused_loopback_port();
    const auto machine = home.dir.write(
        "machine.json", json{{"port", port}, {"port_fallbacks", json::array()},
                             {"allowed_origins", {"https://crm.example.com"}},
                             {"limits", {{"client_queue_limit", 64}, {"idle_timeout_ms", 60000}}}}.dump());
    home.write_user_config(json{{"allowed_origins", {"https://other.example.com"}},
                                {"limits", {{"idle_timeout_ms", 5000}}}}.dump());
    UserAdapter adapter(home, {"--machine-config", machine});
    CHECK(adapter.port() == port);  // from the machine file: the user's does not set it

    auto report = json::parse(
        run_adapter_command({"doctor", "--json", "--machine-config", machine}, home.env()).out);
    for (const auto& check : report["checks"]) {
        if (check["id"] == "allowed_origins")  // a list is replaced, not appended to
            CHECK(check["data"]["origins"] == json::array({"https://other.example.com"}));
        if (check["id"] == "config") {
            CHECK(check["data"]["files"][0]["path"] == machine);
            CHECK(check["data"]["files"][0]["found"] == true);
            CHECK(check["data"]["files"][1]["found"] == true);
        }
    }
    CHECK(adapter.stop() == 0);
    CHECK_THAT(adapter.process().err(), Catch::Contains("config " + machine + " + " +
                                                        (home.config_dir() / "config.json").string()));
}

TEST_CASE("a bad key is reported with the file that holds it, machine or user", "[config][layers]") {
    UserHome home;
    // The user's limits object is merged into the machine's, so the machine's bad value stays
    // and is blamed on the machine file.
    const auto machine = home.dir.write("machine.json", R"({"limits": {"client_queue_limit": 1}})");
    const auto user = home.write_user_config(R"({"limits": {"idle_timeout_ms": 5000}})");
    auto result = run_adapter_command({"run", "--machine-config", machine}, home.env());
    CHECK(result.exit_code == 3);
    CHECK_THAT(result.err, Catch::Contains(machine + ": key 'limits.client_queue_limit': expected an integer from 8"));

    home.write_user_config(R"({"limits": {"client_queue_limit": 2}})");
    result = run_adapter_command({"run", "--machine-config", machine}, home.env());
    CHECK(result.exit_code == 3);
    CHECK_THAT(result.err, Catch::Contains(user + ": key 'limits.client_queue_limit'"));

    home.write_user_config("{\"port\": 11000,}");
    result = run_adapter_command({"run", "--machine-config", machine}, home.env());
    CHECK(result.exit_code == 3);
    CHECK_THAT(result.err, Catch::Contains(user + ": JSON syntax error at line 1"));
}

TEST_CASE("run with --config FILE reads exactly that file, not the machine and user files", "[config][layers]") {
    UserHome home;
    const auto machine = home.dir.write("machine.json", R"({"prot": 1})");
    home.write_user_config(R"({"prot": 2})");
    const auto only = home.dir.write("only.json", R"({"port": 0})");
    UserAdapter adapter(home, {"--machine-config", machine, "--config", only});
    CHECK(adapter.port() != 0);
}
