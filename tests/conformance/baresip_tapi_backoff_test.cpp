// Reconnecting with capped exponential backoff (issue 3, "every driver"): the baresip and tapi
// drivers pointed at a port where nothing listens. Each failed attempt is reported
// `disconnected` with the delay before the next one, so the delays can be read off the page's
// driver.status events: they start at the minimum, double, and stop growing at the cap.
#include <catch2/catch.hpp>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <regex>

#include "support/running_adapter.hpp"
#include "support/ws_client.hpp"

namespace cti::test {
namespace {

using nlohmann::json;

// A loopback TCP port nobody listens on (bound for a moment, then released).
std::uint16_t unused_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    ::bind(fd, reinterpret_cast<sockaddr*>(&address), length);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    ::close(fd);
    return ntohs(address.sin_port);
}

// The retry delays the driver announced, in order, until it announced `cap`.
std::vector<int> announced_delays(const json& config, int cap) {
    RunningAdapter adapter(config.dump());
    WsClient page(adapter.port());
    // Every event from the adapter's first one: the first attempts may precede the page.
    page.command({{"type", "resume"}, {"epoch", page.hello()["epoch"]}, {"after_seq", 0}}, std::chrono::seconds(10));
    const std::regex retrying("retrying in ([0-9]+) ms");
    std::vector<int> delays;
    std::uint64_t last_seq = 0;
    while (delays.empty() || delays.back() != cap) {
        auto status = page.event_named("driver.status", std::chrono::seconds(20));
        INFO(status.dump());
        // An event that came live before the resume is replayed by it too: count it once.
        const auto seq = status["seq"].get<std::uint64_t>();
        if (seq <= last_seq) continue;
        last_seq = seq;
        if (status["status"] != "disconnected") continue;
        std::smatch match;
        const auto detail = status["driver"]["detail"].get<std::string>();
        REQUIRE(std::regex_search(detail, match, retrying));
        delays.push_back(std::stoi(match[1]));
    }
    // Once at the cap the detail no longer changes: no further events.
    CHECK_THROWS(page.event_named("driver.status", std::chrono::milliseconds(1500)));
    return delays;
}

}  // namespace

TEST_CASE("baresip and tapi: reconnect attempts back off exponentially up to the cap", "[baresip][tapi]") {
    const auto port = unused_port();
    SECTION("baresip") {
        const json config = {{"driver", "baresip"},
                             {"baresip", {{"ctrl_address", "127.0.0.1:" + std::to_string(port)},
                                          {"reconnect_min_ms", 50}, {"reconnect_max_ms", 400}}}};
        CHECK(announced_delays(config, 400) == std::vector<int>{50, 100, 200, 400});
    }
    SECTION("tapi") {
        const json config = {{"driver", "tapi"},
                             {"tapi", {{"port", port}, {"reconnect_initial_ms", 50}, {"reconnect_max_ms", 400}}}};
        CHECK(announced_delays(config, 400) == std::vector<int>{50, 100, 200, 400});
    }
}

}  // namespace cti::test
