// Port conflicts as support meets them, with the real executable: who holds a busy port, the
// exit-4 report, the discovery file, a second instance refused, the per-user port scheme.
#include <catch2/catch.hpp>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <unistd.h>
#include <utility>
#include <boost/asio.hpp>
#include <nlohmann/json.hpp>

#include "support/held_port.hpp"
#include "support/user_adapter.hpp"

using namespace cti::test;
using nlohmann::json;
namespace fs = std::filesystem;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

// This process as /proc names it: what the adapter must report as the holder.
std::string own_process_name() {
    std::ifstream in("/proc/self/comm");
    std::string name;
    std::getline(in, name);
    return name;
}

std::string holder_text() { return "pid " + std::to_string(::getpid()) + " '" + own_process_name() + "'"; }

std::string config_with_ports(std::uint16_t port, const std::vector<std::uint16_t>& fallbacks) {
    return json{{"port", port}, {"port_fallbacks", fallbacks}, {"simulator", {{"answer_after_ms", 20}}}}.dump();
}

json read_json(const fs::path& file) {
    std::ifstream in(file);
    return json::parse(in);
}

bool port_is_free(std::uint16_t port) {
    net::io_context io;
    tcp::acceptor acceptor(io);
    boost::system::error_code ec;
    acceptor.open(tcp::v4(), ec);
    acceptor.bind({net::ip::address_v4::loopback(), port}, ec);
    return !ec;
}

}  // namespace

TEST_CASE("a port held by another process: the adapter names the holder and takes a fallback", "[instance][ports]") {
    UserHome home;
    HeldPort held;
    const auto fallback = unused_loopback_port();
    const auto config = home.dir.write("c.json", config_with_ports(held.port(), {fallback}));
    UserAdapter adapter(home, {"--config", config});
    CHECK(adapter.port() == fallback);
    CHECK(adapter.stop() == 0);
    const auto& err = adapter.process().err();
    CHECK_THAT(err, Catch::Contains("port " + std::to_string(held.port()) +
                                    " on 127.0.0.1: in use by another program: " + holder_text()));
    CHECK_THAT(err, Catch::Contains("using fallback port " + std::to_string(fallback)));
}

TEST_CASE("every port busy: exit 4 and the report names each port's holder", "[instance][ports]") {
    UserHome home;
    HeldPort first, second;
    const auto config = home.dir.write("c.json", config_with_ports(first.port(), {second.port()}));
    ChildProcess adapter({CTI_ADAPTER_EXE, "run", "--config", config}, home.env());
    REQUIRE(adapter.wait() == 4);
    for (auto port : {first.port(), second.port()})
        CHECK_THAT(adapter.err(), Catch::Contains("  port " + std::to_string(port) +
                                                  ": in use by another program: " + holder_text()));
    CHECK_THAT(adapter.err(), Catch::Contains("cti-adapter doctor"));
    CHECK_FALSE(fs::exists(home.discovery_file()));
}

TEST_CASE("the discovery file names the running adapter and goes away at a clean stop", "[instance]") {
    UserHome home;
    const auto config = home.dir.write("c.json", config_with_ports(unused_loopback_port(), {}));
    UserAdapter adapter(home, {"--config", config});
    const auto record = read_json(home.discovery_file());
    CHECK(record["pid"] == adapter.process().pid());
    CHECK(record["port"] == adapter.port());
    CHECK(record["version"].get<std::string>().rfind("0.", 0) == 0);
    CHECK_THAT(record["started"].get<std::string>(), Catch::Matches(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)"));
    // Only this user may look into the folder.
    CHECK((fs::status(home.runtime_dir()).permissions() & fs::perms::all) == fs::perms::owner_all);
    CHECK(adapter.stop() == 0);
    CHECK_FALSE(fs::exists(home.discovery_file()));
}

TEST_CASE("a second instance for the same user is refused with exit 6 and takes no fallback", "[instance]") {
    UserHome home;
    const auto fallback = unused_loopback_port();
    const auto config = home.dir.write("c.json", config_with_ports(unused_loopback_port(), {fallback}));
    UserAdapter first(home, {"--config", config});
    ChildProcess second({CTI_ADAPTER_EXE, "run", "--config", config}, home.env());
    REQUIRE(second.wait() == 6);
    CHECK_THAT(second.err(), Catch::Contains("already runs for this user: pid " + std::to_string(first.process().pid()) +
                                             " on http://127.0.0.1:" + std::to_string(first.port()) + "/"));
    CHECK(second.out().find("listening on") == std::string::npos);
    CHECK(port_is_free(fallback));
    // The refused one leaves the first one's record alone.
    CHECK(read_json(home.discovery_file())["pid"] == first.process().pid());
}

TEST_CASE("a second start without XDG_RUNTIME_DIR still finds this user's adapter: exit 6, no fallback", "[instance]") {
    UserHome home;
    const auto fallback = unused_loopback_port();
    const auto config = home.dir.write("c.json", config_with_ports(unused_loopback_port(), {fallback}));
    UserAdapter first(home, {"--config", config});
    // The same user and HOME, but no XDG_RUNTIME_DIR (a cron job, su, an ssh session): the
    // discovery file is looked for elsewhere; the port's holder still names the first adapter.
    auto env = home.env();
    std::erase_if(env, [](const std::string& entry) { return entry.starts_with("XDG_RUNTIME_DIR="); });
    env.push_back("XDG_RUNTIME_DIR=");
    ChildProcess second({CTI_ADAPTER_EXE, "run", "--config", config}, env);
    REQUIRE(second.wait() == 6);
    CHECK_THAT(second.err(), Catch::Contains("already runs for this user: pid " + std::to_string(first.process().pid()) +
                                             " on http://127.0.0.1:" + std::to_string(first.port()) + "/"));
    CHECK_THAT(second.err(), Catch::Contains("another XDG_RUNTIME_DIR"));
    CHECK(second.out().find("listening on") == std::string::npos);
    CHECK(port_is_free(fallback));
}

TEST_CASE("a stale discovery file from a dead adapter is ignored and replaced", "[instance]") {
    UserHome home;
    ChildProcess gone({"/bin/true"});
    REQUIRE(gone.wait() == 0);  // reaped: its pid names no process now
    fs::create_directories(home.runtime_dir());
    std::ofstream(home.discovery_file()) << json{{"pid", gone.pid()}, {"port", unused_loopback_port()},
                                                 {"version", "0.0.1"}, {"started", "2026-01-01T00:00:00Z"}}.dump();
    const auto config = home.dir.write("c.json", config_with_ports(unused_loopback_port(), {}));
    UserAdapter adapter(home, {"--config", config});
    CHECK(read_json(home.discovery_file())["pid"] == adapter.process().pid());
}

TEST_CASE("run --port N is an extra instance: not refused, no discovery file", "[instance]") {
    UserHome home;
    const auto config = home.dir.write("c.json", config_with_ports(unused_loopback_port(), {}));
    UserAdapter first(home, {"--config", config});
    UserAdapter extra(home, {"--config", config, "--port", "0"});
    CHECK(extra.port() != first.port());
    CHECK(read_json(home.discovery_file())["pid"] == first.process().pid());
}

TEST_CASE("per_user port scheme: each user's adapter listens on the base port plus its block", "[instance][ports]") {
    // As root the adapter is started as `nobody`, so the user number is not 0 and the shift shows.
    const bool as_root = ::geteuid() == 0;
    const std::uint32_t user = as_root ? 65534 : ::getuid();
    constexpr std::uint32_t stride = 10, slots = 100;
    const auto offset = static_cast<std::uint16_t>((user % slots) * stride);
    const auto expected = unused_loopback_port();
    if (expected < 1024 + offset) {
        SUCCEED("the system picked too low a port to shift back from");
        return;
    }
    UserHome home;
    fs::permissions(home.dir.path, fs::perms::all);  // the other user writes its log and runtime file here
    const auto config = home.dir.write(
        "c.json", json{{"port", expected - offset}, {"port_fallbacks", json::array()}, {"port_scheme", "per_user"},
                       {"per_user_stride", stride}, {"per_user_slots", slots}}.dump());
    std::vector<std::string> args{CTI_ADAPTER_EXE, "run", "--config", config};
    if (as_root) args.insert(args.begin(), {"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"});
    ChildProcess adapter(args, home.env());
    const auto line = adapter.wait_for_stdout_line("listening on");
    INFO(adapter.err());
    REQUIRE(line);
    CHECK(port_of_listening_line(*line) == expected);
    adapter.signal(SIGTERM);
    CHECK(adapter.wait() == 0);
}
