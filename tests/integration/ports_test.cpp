// Port selection: the configured port, then the fallbacks, each failure explained.
#include <catch2/catch.hpp>

#include <algorithm>
#include <thread>
#include <utility>
#include <boost/asio.hpp>

#include "config/config.hpp"
#include "cti/driver_registry.hpp"
#include "net/listener.hpp"
#include "service/adapter_service.hpp"
#include "support/held_port.hpp"
#include "support/result_checks.hpp"
#include "support/ws_client.hpp"

using namespace cti;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

using BusyPort = cti::test::HeldPort;

// A port that is free right now: bound by the OS, then released.
std::uint16_t free_port() {
    BusyPort probe;
    return probe.port();
}

Config config_with_ports(std::uint16_t port, std::vector<std::uint16_t> fallbacks) {
    auto config = parse_config("{}", "test", builtin_drivers()).value();
    config.port = port;
    config.port_fallbacks = std::move(fallbacks);
    return config;
}

}  // namespace

TEST_CASE("a busy port makes the adapter take the next fallback that is free", "[ports]") {
    BusyPort first, second;
    const auto free = free_port();
    auto config = config_with_ports(first.port(), {second.port(), free});
    const auto service_holder = AdapterService::create(config, create_driver(config, builtin_drivers()).value()).value();
    auto& service = *service_holder;
    CHECK(service.start().value() == free);
    CHECK(service.url() == "http://127.0.0.1:" + std::to_string(free) + "/");
    service.stop();
    service.run();
}

TEST_CASE("when no port is free the error lists every port and why", "[ports]") {
    BusyPort first, second;
    auto config = config_with_ports(first.port(), {second.port()});
    const auto service_holder = AdapterService::create(config, create_driver(config, builtin_drivers()).value()).value();
    auto& service = *service_holder;
    const auto started = service.start();
    // A line for each port, in order, as `cti-adapter run` prints it.
    const auto lines = test::error_message(started, ErrorKind::unavailable);
    const auto first_line = "\n  port " + std::to_string(first.port()) + ": ";
    const auto second_line = "\n  port " + std::to_string(second.port()) + ": ";
    CHECK_THAT(lines, Catch::StartsWith("no port is free on 127.0.0.1" + first_line));
    // The holder is this test process, found through /proc.
    CHECK_THAT(lines, Catch::Contains(first_line + "in use by another program: pid " + std::to_string(::getpid()) + " '"));
    CHECK(lines.find(second_line) > lines.find(first_line));
    CHECK(std::count(lines.begin(), lines.end(), '\n') == 2);
}

TEST_CASE("a privileged port is told apart from a port in use", "[ports]") {
    if (::geteuid() == 0) {
        SUCCEED("running as root: privileged ports can be bound, nothing to tell apart");
        return;
    }
    auto config = config_with_ports(80, {});
    const auto service_holder = AdapterService::create(config, create_driver(config, builtin_drivers()).value()).value();
    auto& service = *service_holder;
    CHECK_THAT(test::error_message(service.start(), ErrorKind::unavailable), Catch::Contains("permission denied"));
}

TEST_CASE("the listener binds loopback only", "[ports]") {
    auto config = config_with_ports(0, {});
    const auto service_holder = AdapterService::create(config, create_driver(config, builtin_drivers()).value()).value();
    auto& service = *service_holder;
    const auto port = service.start().value();
    std::thread runner([&] { service.run(); });
    // Reachable on 127.0.0.1 ...
    CHECK(test::http_request(port, "GET", "/health").status == 200);
    // ... and not on any other local address (the bind is to 127.0.0.1, not 0.0.0.0).
    net::io_context io;
    tcp::socket socket(io);
    boost::system::error_code ec;
    socket.connect(tcp::endpoint{net::ip::make_address("127.0.0.2"), port}, ec);
    CHECK(ec);
    service.stop();
    runner.join();
}
