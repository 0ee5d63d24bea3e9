// The real executable: --version, --help, exit codes, config errors, and the commands that talk
// to a running adapter exactly as a page does.
#include <catch2/catch.hpp>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include <utility>
#include <boost/asio.hpp>

#include "pairing/tokens.hpp"
#include "support/child_process.hpp"
#include "support/pairing_flow.hpp"
#include "support/held_port.hpp"
#include "support/temp_dir.hpp"
#include "support/user_home.hpp"
#include "support/ws_client.hpp"

using namespace cti::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {


// A port nobody listens on: bound by the OS just now, then released.
std::uint16_t unused_port() {
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor probe(io, {boost::asio::ip::address_v4::loopback(), 0});
    return probe.local_endpoint().port();
}

// `cti-adapter run` on a free port, stopped (SIGTERM) when the test ends.
struct AdapterProcess {
    TempDir dir;
    std::unique_ptr<ChildProcess> process;
    std::uint16_t port = 0;
    std::string config;

    explicit AdapterProcess(const std::string& extra = R"("simulator": {"answer_after_ms": 20})") {
        config = dir.write("config.json", "{\"log_file\": \"" + (dir.path / "adapter.log").string() +
                                              "\", \"call_log_file\": \"" + (dir.path / "calls.sqlite3").string() +
                                              "\", " + extra + "}");
        process = std::make_unique<ChildProcess>(std::vector<std::string>{CTI_ADAPTER_EXE, "run", "--config", config, "--port", "0"});
        auto line = process->wait_for_stdout_line("listening on");
        REQUIRE(line);
        std::smatch match;
        REQUIRE(std::regex_search(*line, match, std::regex(R"(http://127\.0\.0\.1:(\d+)/)")));
        port = static_cast<std::uint16_t>(std::stoi(match[1]));
    }
    ~AdapterProcess() {
        process->signal(SIGTERM);
        process->wait();
    }
    // The first line of the adapter's log holding `text` (the log is flushed line by line).
    std::string log_line_with(const std::string& text) const {
        std::ifstream log(dir.path / "adapter.log");
        for (std::string line; std::getline(log, line);)
            if (line.find(text) != std::string::npos) return line;
        return {};
    }
    RunResult cli(std::vector<std::string> args) {
        args.insert(args.end(), {"--config", config, "--port", std::to_string(port)});
        return run_adapter_command(std::move(args));
    }
};

}  // namespace

TEST_CASE("the executable prints its version and its help", "[cli]") {
    auto version = run_adapter_command({"--version"});
    CHECK(version.exit_code == 0);
    CHECK(version.out.find("cti-adapter 0.") == 0);
    auto help = run_adapter_command({"--help"});
    CHECK(help.exit_code == 0);
    for (const char* word : {"run", "status", "simulate", "dial", "Exit codes", "5  status/simulate/dial"})
        CHECK(help.out.find(word) != std::string::npos);
}

TEST_CASE("the manual page describes every command that --help lists", "[cli][docs]") {
    const auto help = run_adapter_command({"--help"});
    REQUIRE(help.exit_code == 0);
    std::ifstream in(fs::path(CTI_SOURCE_DIR) / "installer/linux/cti-adapter.1.in");
    const std::string manual((std::istreambuf_iterator<char>(in)), {});
    REQUIRE_FALSE(manual.empty());
    const auto commands = manual.substr(manual.find(".SH COMMANDS"), manual.find(".SH OPTIONS") - manual.find(".SH COMMANDS"));
    std::istringstream lines(help.out.substr(help.out.find("Subcommands:")));
    std::string line;
    std::getline(lines, line);  // the heading
    std::size_t listed = 0;
    while (std::getline(lines, line) && line.starts_with("  ")) {
        const auto name = line.substr(2, line.find(' ', 2) - 2);
        ++listed;
        INFO("the command " << name);
        CHECK(commands.find("\n.TP\n.B " + name + "\n") != std::string::npos);
        CHECK(manual.find(".B cti-adapter " + name + "\n") != std::string::npos);  // in the synopsis too
    }
    CHECK(listed >= 9);
}

TEST_CASE("bad arguments exit 2", "[cli]") {
    CHECK(run_adapter_command({}).exit_code == 2);
    CHECK(run_adapter_command({"frobnicate"}).exit_code == 2);
    CHECK(run_adapter_command({"run", "--port", "70000"}).exit_code == 2);
    CHECK(run_adapter_command({"dial"}).exit_code == 2);
}

TEST_CASE("an invalid config stops start-up with exit 3 naming the file and the key", "[cli][config]") {
    TempDir dir;
    auto typo = dir.write("typo.json", R"({"prot": 11000})");
    auto result = run_adapter_command({"run", "--config", typo});
    CHECK(result.exit_code == 3);
    CHECK(result.err.find(typo) != std::string::npos);
    CHECK(result.err.find("'prot'") != std::string::npos);
    CHECK(result.err.find("unknown key") != std::string::npos);

    auto range = dir.write("range.json", R"({"limits": {"client_queue_limit": 1}})");
    result = run_adapter_command({"run", "--config", range});
    CHECK(result.exit_code == 3);
    CHECK(result.err.find("'limits.client_queue_limit'") != std::string::npos);
    CHECK(result.err.find("from 8 to 100000") != std::string::npos);

    auto syntax = dir.write("syntax.json", "{\n  \"port\": 11000,\n  \"driver\" \"simulator\"\n}");
    result = run_adapter_command({"run", "--config", syntax});
    CHECK(result.exit_code == 3);
    CHECK(result.err.find("line 3, column") != std::string::npos);

    result = run_adapter_command({"run", "--config", (dir.path / "missing.json").string()});
    CHECK(result.exit_code == 3);
    CHECK(result.err.find("does not exist") != std::string::npos);
}

TEST_CASE("status simulate and dial without a running adapter exit 5", "[cli]") {
    TempDir dir;
    auto config = dir.write("c.json", "{}");
    const auto port = std::to_string(unused_port());
    auto result = run_adapter_command({"status", "--config", config, "--port", port});
    CHECK(result.exit_code == 5);
    CHECK(result.err.find("not running") != std::string::npos);
    CHECK(run_adapter_command({"dial", "123", "--config", config, "--port", port}).exit_code == 5);

    // A program that holds the port and never answers is given up on after the time limit.
    HeldPort silent;
    result = run_adapter_command({"dial", "123", "--config", config, "--port", std::to_string(silent.port())});
    CHECK(result.exit_code == 5);
    CHECK_THAT(result.err, Catch::Contains("127.0.0.1:" + std::to_string(silent.port()) + ": "));
}

TEST_CASE("run prints its URL - simulate status and dial talk to it like a page does", "[cli][run]") {
    AdapterProcess adapter;
    WsClient page(adapter.port);  // a page watching what the commands cause

    auto rang = adapter.cli({"simulate", "incoming", "+14155550123", "--name", "Ada Lovelace"});
    REQUIRE(rang.exit_code == 0);
    const auto call_id = rang.out.substr(0, rang.out.find('\n'));
    auto pop = page.event_named("screen_pop");
    CHECK(pop["call_id"] == call_id);
    CHECK(pop["caller"]["name"] == "Ada Lovelace");

    auto status = adapter.cli({"status"});
    CHECK(status.exit_code == 0);
    CHECK(status.out.find("simulator (connected") != std::string::npos);
    CHECK(status.out.find(call_id) != std::string::npos);
    auto status_json = json::parse(adapter.cli({"status", "--json"}).out);
    CHECK(status_json["port"] == adapter.port);
    CHECK(status_json["active_calls"] == 1);

    CHECK(adapter.cli({"simulate", "remote_hangup", call_id}).exit_code == 0);
    CHECK(page.event_named("call.ended")["reason"] == "missed");

    auto dialed = adapter.cli({"dial", "+1 415 555 0199"});
    CHECK(dialed.exit_code == 0);
    CHECK(dialed.out.find("connected\n") != std::string::npos);  // it waited for the outcome
    CHECK(page.event_named("call.connected")["call"]["to"]["number"] == "+14155550199");

    auto refused = adapter.cli({"dial", "+1415;evil"});
    CHECK(refused.exit_code == 1);
    CHECK(refused.err.find("invalid_number") != std::string::npos);

    TempDir dir;
    auto scenario = dir.write("s.json", R"({"steps": [{"action": "incoming", "call": "a", "from": "+15550001"},
                                                       {"at_ms": 1, "action": "answered_elsewhere", "call": "a"}]})");
    CHECK(adapter.cli({"simulate", "scenario", scenario}).exit_code == 0);
    CHECK(page.event_named("call.ended")["reason"] == "answered_elsewhere");
}

TEST_CASE("dial waits for the call's first outcome and exits 8 with the phone system's reason when it fails",
          "[cli][run]") {
    AdapterProcess adapter(R"("simulator": {"answer_after_ms": 20, "busy_numbers": ["5550100"]})");
    WsClient page(adapter.port);

    auto busy = adapter.cli({"dial", "5550100"});
    CHECK(busy.exit_code == 8);
    const auto call_id = busy.out.substr(0, busy.out.find('\n'));
    CHECK_FALSE(call_id.empty());
    CHECK_THAT(busy.err, Catch::Contains("the number is busy (busy: the number is in simulator.busy_numbers)"));
    // The page hears the same reason, and the call log keeps it.
    auto ended = page.event_named("call.ended");
    CHECK(ended["call"]["id"] == call_id);
    CHECK(ended["detail"] == "the number is in simulator.busy_numbers");
    CHECK(ended["call"]["end_detail"] == ended["detail"]);
    auto log = page.event_named("call_log");
    CHECK(log["log"]["end_detail"] == ended["detail"]);
    // And the adapter's own log line says it too.
    CHECK(adapter.log_line_with("call " + call_id + " outbound ended")
              .find("(busy: the number is in simulator.busy_numbers)") != std::string::npos);

    SECTION("--wait 0 returns with the call id at once, before any outcome") {
        auto quick = adapter.cli({"dial", "5550100", "--wait", "0"});
        CHECK(quick.exit_code == 0);
        CHECK(quick.out.find('\n') == quick.out.size() - 1);  // the call id only
    }
    SECTION("a call still ringing out when the wait is over is left to go on") {
        AdapterProcess slow(R"("simulator": {"answer_after_ms": 600000})");
        auto ringing = slow.cli({"dial", "5550101", "--wait", "1"});
        CHECK(ringing.exit_code == 0);
        CHECK_THAT(ringing.out, Catch::Contains("still ringing out after 1 s; the call goes on"));
    }
}

TEST_CASE("SIGTERM stops the adapter cleanly: pages get 1001 exit code 0", "[cli][run]") {
    AdapterProcess adapter;
    WsClient page(adapter.port);
    adapter.process->signal(SIGTERM);
    CHECK(page.read_until_closed() == 1001);
    CHECK(adapter.process->wait() == 0);
}

TEST_CASE("when every port is busy run exits 4 and says which ports and why", "[cli][ports]") {
    // Another program holds the port (this user's own adapter there would mean exit 6 instead).
    HeldPort held;
    const auto port = held.port();
    TempDir dir;
    auto config = dir.write("c.json", "{\"port\": " + std::to_string(port) + ", \"port_fallbacks\": [], \"log_file\": \"" +
                                          (dir.path / "a.log").string() + "\", \"call_log_file\": \"" + (dir.path / "c.sqlite3").string() + "\"}");
    auto result = run_adapter_command({"run", "--config", config});
    CHECK(result.exit_code == 4);
    CHECK(result.err.find("port " + std::to_string(port) + ": in use by another program") != std::string::npos);
    CHECK_THAT(result.err, Catch::Contains("set \"port\"/\"port_fallbacks\" in " + config));

    // No config file at all: the message names the file to create, not "(built-in defaults)".
    UserHome home;
    result = run_adapter_command({"run", "--machine-config", (home.dir.path / "none.json").string(), "--port",
                                  std::to_string(port)},
                                 home.env());
    CHECK(result.exit_code == 4);
    CHECK_THAT(result.err, Catch::Contains("in " + (home.config_dir() / "config.json").string() + " (create it"));
    CHECK_THAT(result.err, !Catch::Contains("built-in defaults"));
}

TEST_CASE("the scenario files shipped in docs/scenarios are all valid", "[cli][simulator]") {
    AdapterProcess adapter;
    int count = 0;
    for (const auto& entry : fs::directory_iterator(fs::path(CTI_SOURCE_DIR) / "docs" / "scenarios")) {
        if (entry.path().extension() != ".json") continue;
        ++count;
        // Validate without running them all in real time: the simulator checks the whole file
        // before scheduling anything, so a bad file fails here.
        auto result = adapter.cli({"simulate", "scenario", entry.path().string()});
        INFO(entry.path() << ": " << result.err);
        CHECK(result.exit_code == 0);
    }
    CHECK(count >= 4);
}

TEST_CASE("pair new-token prints a token and the config that preseeds its hash", "[cli][pairing]") {
    auto made = run_adapter_command({"pair", "new-token", "https://CRM.example.com:443"});
    REQUIRE(made.exit_code == 0);
    std::smatch match;
    REQUIRE(std::regex_search(made.out, match, std::regex(R"(\n  ([A-Za-z0-9_-]{43})\n)")));
    const auto token = match[1].str();
    const auto snippet = json::parse(made.out.substr(made.out.find('{')));
    CHECK(snippet == json{{"pairing", {{"preseeded", {{{"origin", "https://crm.example.com"},
                                                       {"token_sha256", cti::pairing::token_sha256_hex(token)}}}}}}});
    CHECK(run_adapter_command({"pair", "new-token", "not an origin"}).exit_code == 2);

    // --config, as every command takes it: a note when the origin is not allowed there.
    TempDir dir;
    const auto config = dir.write("config.json", R"({"allowed_origins": ["https://crm.example.com"]})");
    const auto allowed = run_adapter_command({"pair", "new-token", "https://crm.example.com", "--config", config});
    CHECK(allowed.exit_code == 0);
    CHECK(allowed.err.empty());
    const auto other = run_adapter_command({"pair", "new-token", "https://other.example.com", "--config", config});
    CHECK(other.exit_code == 0);
    CHECK_THAT(other.err, Catch::Contains("https://other.example.com is not in allowed_origins of " + config));
}

TEST_CASE("pair list shows a pairing name that could forge a line of it with '?' in its place", "[cli][pairing][log]") {
    const std::string crm = "https://crm.example.com";
    AdapterProcess adapter("\"allowed_origins\": [\"" + crm + "\"]");
    WsClient page(adapter.port, unauthenticated(crm));
    // A newline and a row of its own, an escape sequence that clears the line, a bidi override.
    const std::string name = "CRM\n  r9  https://bank.example  \"Bank\"  000000\x1b[2K\xe2\x80\xae" "evil";
    REQUIRE(ask_to_pair(page, name)["ok"] == true);
    const auto listed = adapter.cli({"pair", "list"});
    REQUIRE(listed.exit_code == 0);
    INFO(listed.out);
    CHECK(listed.out.find("https://bank.example") != std::string::npos);  // shown, inside the name
    CHECK(listed.out.find("\n  r9") == std::string::npos);
    CHECK(listed.out.find('\x1b') == std::string::npos);
    CHECK(listed.out.find("\xe2\x80\xae") == std::string::npos);
    CHECK(listed.out.find("\"CRM?  r9  https://bank.example  \"Bank\"  000000?[2K?evil\"") != std::string::npos);
}

TEST_CASE("pair list and revoke talk to the running adapter, no token reaches the log", "[cli][pairing]") {
    const std::string crm = "https://crm.example.com";
    const std::string preseeded_token = "it-deployed-token-0123456789abcdefghij";
    std::string paired_token;
    TempDir files;
    const auto log_file = files.path / "adapter.log";
    {
        AdapterProcess adapter("\"allowed_origins\": [\"" + crm + "\"], \"log_level\": \"debug\", \"pairing\": {\"file\": \"" +
                               (files.path / "pairings.json").string() + "\", \"preseeded\": [{\"origin\": \"" + crm +
                               "\", \"token_sha256\": \"" + cti::pairing::token_sha256_hex(preseeded_token) + "\"}]}");
        paired_token = pair_page(adapter.port, crm);
        WsClient page(adapter.port, with_token(crm, paired_token));
        WsClient deployed(adapter.port, with_token(crm, preseeded_token));
        WsClient wrong(adapter.port, unauthenticated(crm));
        wrong.next_frame();
        wrong.send_text(R"({"v":1,"type":"authenticate","id":"1","token":"wrong-token-0123456789"})");
        CHECK(wrong.read_until_closed() == 4001);

        auto listed = adapter.cli({"pair", "list"});
        REQUIRE(listed.exit_code == 0);
        CHECK(listed.out.find(crm) != std::string::npos);
        CHECK(listed.out.find("Acme CRM softphone") != std::string::npos);
        CHECK(listed.out.find(cti::pairing::token_sha256_hex(paired_token)) == std::string::npos);

        CHECK(adapter.cli({"pair", "revoke", "no-such-id"}).exit_code == 1);
        auto revoked = adapter.cli({"pair", "revoke", "https://CRM.example.com"});
        CHECK(revoked.exit_code == 0);
        CHECK(revoked.out.find("1 open page(s) closed") != std::string::npos);
        CHECK(page.read_until_closed() == 4003);
        CHECK(deployed.command({{"type", "ping"}})["ok"] == true);  // preseeded: not revoked
        adapter.process->signal(SIGTERM);  // the log is complete once the adapter has stopped
        REQUIRE(adapter.process->wait() == 0);
        fs::copy_file(adapter.dir.path / "adapter.log", log_file);
    }
    std::ifstream in(log_file);
    const std::string log((std::istreambuf_iterator<char>(in)), {});
    CHECK(log.find("refused: unknown or revoked token") != std::string::npos);
    CHECK(log.find(crm) != std::string::npos);
    for (const auto& secret : {paired_token, preseeded_token, std::string("wrong-token-0123456789"),
                               cti::pairing::token_sha256_hex(paired_token)}) {
        INFO("secret " << secret);
        CHECK(log.find(secret) == std::string::npos);
    }
}
