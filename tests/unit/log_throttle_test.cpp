// A flood of refusals gives a few log lines, each saying how many were left out.
#include <catch2/catch.hpp>

#include <chrono>

#include "logging/log_throttle.hpp"

using cti::LogThrottle;
using namespace std::chrono_literals;

TEST_CASE("log throttle: the first is logged, then one line per interval with the count left out", "[limits]") {
    LogThrottle throttle(10s);
    const auto start = LogThrottle::Clock::time_point{} + 1h;
    CHECK(throttle.admit(start) == std::optional<std::size_t>{0});
    for (int i = 1; i <= 50; ++i) REQUIRE_FALSE(throttle.admit(start + std::chrono::milliseconds(i * 100)));
    CHECK(throttle.admit(start + 10s) == std::optional<std::size_t>{50});
    CHECK_FALSE(throttle.admit(start + 11s));
    CHECK(throttle.admit(start + 1h) == std::optional<std::size_t>{1});
}
