// Port selection: the configured port, then the fallbacks, each failure explained.
#include <catch2/catch.hpp>

#include <thread>
#include <utility>
#include <boost/asio.hpp>

#include "config/config.hpp"
#include "cti/driver_registry.hpp"
#include "net/listener.hpp"
#include "service/adapter_service.hpp"
#include "support/held_port.hpp"
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
    AdapterService service(config, create_driver(config, builtin_drivers()).value());
    CHECK(service.start() == free);
    CHECK(service.url() == "http://127.0.0.1:" + std::to_string(free) + "/");
    service.stop();
    service.run();
}

TEST_CASE("when no port is free the error lists every port and why", "[ports]") {
    BusyPort first, second;
    auto config = config_with_ports(first.port(), {second.port()});
    AdapterService service(config, create_driver(config, builtin_drivers()).value());
    try {
        service.start();
        FAIL("start() should have thrown");
    } catch (const NoFreePortError& error) {
        REQUIRE(error.attempts().size() == 2);
        CHECK(error.attempts()[0].port == first.port());
        // The holder is this test process, found through /proc.
        CHECK_THAT(error.attempts()[0].problem,
                   Catch::StartsWith("in use by another program: pid " + std::to_string(::getpid()) + " '"));
        REQUIRE(error.attempts()[0].holder);
        CHECK(error.attempts()[0].holder->pid == ::getpid());
        CHECK_FALSE(error.attempts()[0].holder->command_line.empty());
        CHECK(error.attempts()[1].port == second.port());
        CHECK(std::string(error.what()).find(std::to_string(second.port())) != std::string::npos);
    }
}

TEST_CASE("a privileged port is told apart from a port in use", "[ports]") {
    if (::geteuid() == 0) {
        SUCCEED("running as root: privileged ports can be bound, nothing to tell apart");
        return;
    }
    auto config = config_with_ports(80, {});
    AdapterService service(config, create_driver(config, builtin_drivers()).value());
    CHECK_THROWS_WITH(service.start(), Catch::Contains("permission denied"));
}

TEST_CASE("the listener binds loopback only", "[ports]") {
    auto config = config_with_ports(0, {});
    AdapterService service(config, create_driver(config, builtin_drivers()).value());
    const auto port = service.start();
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
