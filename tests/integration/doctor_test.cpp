// `cti-adapter doctor` with the real executable: a healthy set-up, broken ones, the JSON's shape,
// and the support bundle.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include "support/held_port.hpp"
#include "support/user_adapter.hpp"
#include "support/ws_client.hpp"

using namespace cti::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// The doctor's --json for `home`, with a machine config that does not exist unless given.
RunResult doctor(const UserHome& home, std::vector<std::string> args = {}) {
    args.insert(args.begin(), {"doctor", "--json"});
    if (std::find(args.begin(), args.end(), "--machine-config") == args.end())
        args.insert(args.end(), {"--machine-config", (home.dir.path / "no-machine.json").string()});
    return run_adapter_command(std::move(args), home.env());
}

std::vector<json> checks_with_id(const json& report, const std::string& id) {
    std::vector<json> found;
    for (const auto& check : report["checks"])
        if (check["id"] == id) found.push_back(check);
    return found;
}

json the_check(const json& report, const std::string& id) {
    auto found = checks_with_id(report, id);
    REQUIRE(found.size() == 1);
    return found.front();
}

// Every check has the documented fields with the documented types.
void check_shape(const json& report) {
    CHECK(report["doctor"] == 1);
    CHECK(report["version"].is_string());
    CHECK_THAT(report["result"].get<std::string>(), Catch::Matches("pass|warn|fail"));
    REQUIRE(report["checks"].is_array());
    for (const auto& check : report["checks"]) {
        for (const char* field : {"id", "title", "status", "detail", "remedy"}) CHECK(check[field].is_string());
        CHECK(check["data"].is_object());
        CHECK_THAT(check["status"].get<std::string>(), Catch::Matches("pass|info|warn|fail"));
    }
    for (const char* id : {"config", "adapter", "driver", "allowed_origins", "pairing", "log", "browser"})
        CHECK(checks_with_id(report, id).size() == 1);
}

}  // namespace

TEST_CASE("doctor on a healthy set-up: every check passes and it exits 0", "[doctor]") {
    UserHome home;
    const auto port = unused_loopback_port();
    home.write_user_config(json{{"port", port}, {"port_fallbacks", json::array()},
                                {"allowed_origins", {"https://crm.example.com"}}}.dump());
    UserAdapter adapter(home, {"--machine-config", (home.dir.path / "no-machine.json").string()});
    const auto result = doctor(home);
    INFO(result.out << result.err);
    CHECK(result.exit_code == 0);
    const auto report = json::parse(result.out);
    check_shape(report);
    CHECK(report["result"] == "pass");
    const auto running = the_check(report, "adapter");
    CHECK(running["status"] == "pass");
    CHECK(running["data"]["pid"] == adapter.process().pid());
    CHECK(running["data"]["port"] == port);
    const auto port_check = the_check(report, "port");
    CHECK(port_check["data"]["state"] == "ours");
    CHECK(port_check["data"]["holder"]["pid"] == adapter.process().pid());
    CHECK(port_check["data"]["holder"]["name"] == "cti-adapter");
    CHECK(the_check(report, "driver")["data"]["status"] == "connected");
    CHECK(the_check(report, "config")["data"]["files"][1]["found"] == true);
    CHECK(the_check(report, "log")["data"]["file"] == home.log_file().string());
    CHECK_THAT(the_check(report, "browser")["detail"].get<std::string>(), Catch::Contains("Safari"));
    // Nobody has paired the CRM's page yet: a note, not a problem (it asks when it connects).
    const auto pairing = the_check(report, "pairing");
    CHECK(pairing["status"] == "info");
    CHECK(pairing["data"]["origins"] == json::array({{{"origin", "https://crm.example.com"}, {"paired", 0}, {"preseeded", 0}}}));
    CHECK_THAT(pairing["remedy"].get<std::string>(), Catch::Contains("http://127.0.0.1:" + std::to_string(port) + "/pair"));
}

TEST_CASE("doctor counts each allowed origin's pairings, and warns when pairing is off", "[doctor][pairing]") {
    UserHome home;
    const std::string crm = "https://crm.example.com", helpdesk = "https://help.example.com";
    json config{{"port", unused_loopback_port()},
                {"port_fallbacks", json::array()},
                {"allowed_origins", {crm, helpdesk}},
                {"pairing", {{"preseeded", {{{"origin", crm}, {"token_sha256", std::string(64, 'a')}}}}}}};
    home.write_user_config(config.dump());
    auto pairing = the_check(json::parse(doctor(home).out), "pairing");
    CHECK(pairing["status"] == "info");  // the help desk's page has not paired yet
    CHECK(pairing["data"]["required"] == true);
    CHECK(pairing["data"]["origins"] == json::array({{{"origin", crm}, {"paired", 0}, {"preseeded", 1}},
                                                     {{"origin", helpdesk}, {"paired", 0}, {"preseeded", 0}}}));
    CHECK_THAT(pairing["detail"].get<std::string>(), Catch::Contains("not paired yet: [\"" + helpdesk + "\"]"));

    config["pairing"]["required"] = false;
    home.write_user_config(config.dump());
    pairing = the_check(json::parse(doctor(home).out), "pairing");
    CHECK(pairing["status"] == "warn");
    CHECK_THAT(pairing["detail"].get<std::string>(), Catch::Contains("without a token"));
}

TEST_CASE("doctor on a broken set-up: not running, a held port, no origins - exit 7", "[doctor]") {
    UserHome home;
    HeldPort held;
    const auto port = held.port();
    home.write_user_config(json{{"port", port}, {"port_fallbacks", json::array()}}.dump());
    const auto result = doctor(home);
    INFO(result.out << result.err);
    CHECK(result.exit_code == 7);
    const auto report = json::parse(result.out);
    check_shape(report);
    CHECK(report["result"] == "fail");
    CHECK(the_check(report, "adapter")["status"] == "fail");
    CHECK_FALSE(the_check(report, "adapter")["remedy"].get<std::string>().empty());
    const auto port_check = the_check(report, "port");
    CHECK(port_check["status"] == "warn");
    CHECK(port_check["data"]["state"] == "other");
    CHECK(port_check["data"]["holder"]["pid"] == ::getpid());
    CHECK_THAT(port_check["detail"].get<std::string>(), Catch::Contains("pid " + std::to_string(::getpid())));
    // The only port of the list is the last: no "the adapter takes the next port".
    CHECK_THAT(port_check["detail"].get<std::string>(), Catch::Contains("the last port of the list") &&
                                                            !Catch::Contains("takes the next port"));
    CHECK(the_check(report, "ports")["status"] == "fail");  // nothing left to bind: run would exit 4
    CHECK(the_check(report, "allowed_origins")["status"] == "warn");
    // No adapter to ask: doctor starts the (simulator) driver itself for a moment.
    const auto driver_check = the_check(report, "driver");
    CHECK(driver_check["status"] == "pass");
    CHECK(driver_check["data"]["tried_by_doctor"] == true);
    CHECK(driver_check["data"]["status"] == "connected");

    // The same as text, for people.
    auto text = run_adapter_command({"doctor", "--machine-config", (home.dir.path / "none.json").string()}, home.env());
    CHECK(text.exit_code == 7);
    CHECK_THAT(text.out, Catch::Contains("[fail] adapter running: not running"));
    CHECK_THAT(text.out, Catch::Contains("remedy: start it"));
}

TEST_CASE("doctor without a running adapter tries the driver itself and reports an unreachable phone system", "[doctor]") {
    UserHome home;
    const auto closed = unused_loopback_port();  // nothing listens there: connection refused
    home.write_user_config(json{{"port", unused_loopback_port()},
                                {"port_fallbacks", json::array()},
                                {"allowed_origins", {"https://crm.example.com"}},
                                {"driver", "baresip"},
                                {"baresip", {{"ctrl_address", "127.0.0.1:" + std::to_string(closed)}}}}
                               .dump());
    const auto result = doctor(home);
    INFO(result.out << result.err);
    CHECK(result.exit_code == 7);
    const auto driver_check = the_check(json::parse(result.out), "driver");
    CHECK(driver_check["status"] == "fail");
    CHECK(driver_check["data"]["tried_by_doctor"] == true);
    CHECK(driver_check["data"]["status"] == "disconnected");
    CHECK_THAT(driver_check["detail"].get<std::string>(), Catch::Contains(std::to_string(closed)));
    CHECK_THAT(driver_check["remedy"].get<std::string>(), Catch::Contains("docs/drivers/baresip.md"));
}

TEST_CASE("doctor names an invalid config's file and key and fails", "[doctor][config]") {
    UserHome home;
    const auto user = home.write_user_config(R"({"port": 11000, "alowed_origins": []})");
    const auto result = doctor(home);
    CHECK(result.exit_code == 7);
    const auto config = the_check(json::parse(result.out), "config");
    CHECK(config["status"] == "fail");
    CHECK_THAT(config["detail"].get<std::string>(), Catch::Contains(user + ": key 'alowed_origins': unknown key"));
}

TEST_CASE("doctor --bundle writes the config without secrets, masked logs and the status", "[doctor][bundle]") {
    UserHome home;
    const auto port = unused_loopback_port();
    // The sip section is kept for another desktop and carries a password; the log is at debug,
    // so full numbers are in the file.
    // Secrets in every place a config holds them: the SIP password and auth user, a lookup URL's
    // key, a pop URL's user-info and session, a preseeded token's hash.
    home.write_user_config(json{{"port", port}, {"port_fallbacks", json::array()}, {"log_level", "debug"},
                                {"sip", {{"registrar", "sip:pbx.example.com"}, {"user", "1001"},
                                         {"auth_user", "ops-account-7"}, {"password", "hunter2-secret"}}},
                                {"screen_pop",
                                 {{"lookup_url", "http://127.0.0.1:9/lookup?apikey=KEY-lookup-42&phone={number}"},
                                  {"inbound",
                                   {{"single_match",
                                     {{"pop", "record"},
                                      {"url", "https://ops:pw-in-url@crm.example.com/r/{id}?session=SESSION-99"}}}}}}},
                                {"pairing", {{"preseeded", {{{"origin", "https://crm.example.com"},
                                                             {"token_sha256", std::string(64, 'a')}}}}}},
                                {"allowed_origins", {"https://crm.example.com"}}}.dump());
    UserAdapter adapter(home, {"--machine-config", (home.dir.path / "none.json").string()});
    {
        WsClient page(port);
        json incoming{{"type", "simulate"}, {"action", "incoming"}, {"from", "+14155550123"}};
        CHECK(page.command(incoming)["ok"] == true);
        page.event_named("screen_pop");
    }
    std::ifstream log_in(home.log_file());
    const std::string log((std::istreambuf_iterator<char>(log_in)), std::istreambuf_iterator<char>());
    REQUIRE_THAT(log, Catch::Contains("+14155550123"));  // the bundle has something to mask

    const auto bundle_file = home.dir.path / "bundle.json";
    const auto result = doctor(home, {"--bundle", bundle_file.string()});
    INFO(result.out << result.err);
    CHECK(result.exit_code == 0);
    std::ifstream in(bundle_file);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string token_hash(64, 'a');
    for (const std::string& secret : {std::string("hunter2"), std::string("ops-account-7"), std::string("KEY-lookup-42"),
                                      std::string("pw-in-url"), std::string("SESSION-99"), token_hash}) {
        INFO(secret);
        CHECK(text.find(secret) == std::string::npos);
    }
    CHECK(text.find("14155550123") == std::string::npos);
    // What support needs stays: the shape of the URLs, with their placeholders.
    CHECK_THAT(text, Catch::Contains("http://127.0.0.1:9/lookup?apikey=(removed)&phone={number}"));
    CHECK_THAT(text, Catch::Contains("https://(removed)@crm.example.com/r/{id}?session=(removed)"));
    const auto bundle = json::parse(text);
    CHECK(bundle["bundle"] == 1);
    CHECK(bundle["doctor"]["doctor"] == 1);
    CHECK(bundle["status"]["port"] == port);
    REQUIRE(bundle["config_files"].size() == 1);
    CHECK(bundle["config_files"][0]["settings"]["sip"]["password"] == "(removed)");
    CHECK(bundle["config_files"][0]["settings"]["sip"]["user"] == "1001");
    CHECK(bundle["log"]["file"] == home.log_file().string());
    CHECK_THAT(bundle["log"]["lines"].dump(), Catch::Contains("+*******0123"));
    CHECK((fs::status(bundle_file).permissions() & fs::perms::all) ==
          (fs::perms::owner_read | fs::perms::owner_write));

    // A name that says another format is refused before anything is written.
    const auto zip = home.dir.path / "bundle.zip";
    const auto refused = doctor(home, {"--bundle", zip.string()});
    CHECK(refused.exit_code == 2);
    CHECK_THAT(refused.err, Catch::Contains("name it bundle.json"));
    CHECK_FALSE(fs::exists(zip));
}
