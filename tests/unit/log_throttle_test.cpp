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

TEST_CASE("log throttle: a burst of lines per interval, then the count left out", "[limits]") {
    LogThrottle throttle(10s, 3);
    const auto start = LogThrottle::Clock::time_point{} + 1h;
    for (int i = 0; i < 3; ++i) CHECK(throttle.admit(start + std::chrono::milliseconds(i)) == std::optional<std::size_t>{0});
    for (int i = 3; i < 20; ++i) REQUIRE_FALSE(throttle.admit(start + std::chrono::milliseconds(i * 100)));
    CHECK(throttle.admit(start + 10s) == std::optional<std::size_t>{17});
    CHECK(throttle.admit(start + 10s + 1ms) == std::optional<std::size_t>{0});
    CHECK(cti::left_out_note(0).empty());
    CHECK(cti::left_out_note(17) == " (17 more refused since the last such line)");
}
