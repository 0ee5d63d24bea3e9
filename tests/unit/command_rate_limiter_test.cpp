// Per-page command and dial rates (docs/PROTOCOL.md, section 5, close code 4029).
#include <catch2/catch.hpp>

#include <chrono>

#include "core/command_rate_limiter.hpp"

using namespace cti;
using namespace std::chrono_literals;

namespace {

// Stand-ins for two pages; the limiter only uses the address as a key.
const auto* const page_a = reinterpret_cast<const ClientConnection*>(0x1000);
const auto* const page_b = reinterpret_cast<const ClientConnection*>(0x2000);
const auto start = TokenBucket::Clock::time_point{} + 1h;

}  // namespace

TEST_CASE("command rate: over commands_per_minute only the offending page is stopped", "[limits]") {
    CommandRateLimiter limiter({3, 0});
    for (int i = 0; i < 3; ++i) REQUIRE(limiter.check(page_a, "ping", start) == RateVerdict::allowed);
    CHECK(limiter.check(page_a, "ping", start) == RateVerdict::commands_exceeded);
    CHECK(limiter.check(page_a, "ping", start + 1h) == RateVerdict::already_exceeded);
    CHECK(limiter.check(page_b, "ping", start) == RateVerdict::allowed);
}

TEST_CASE("command rate: dials and transfers have their own, stricter rate", "[limits]") {
    CommandRateLimiter limiter({100, 2});
    CHECK(limiter.check(page_a, "dial", start) == RateVerdict::allowed);
    CHECK(limiter.check(page_a, "transfer", start) == RateVerdict::allowed);
    for (int i = 0; i < 10; ++i) REQUIRE(limiter.check(page_a, "hangup", start) == RateVerdict::allowed);
    CHECK(limiter.check(page_a, "dial", start) == RateVerdict::dials_exceeded);
}

TEST_CASE("command rate: the rate refills over the minute", "[limits]") {
    CommandRateLimiter limiter({100, 2});
    CHECK(limiter.check(page_a, "dial", start) == RateVerdict::allowed);
    CHECK(limiter.check(page_a, "dial", start) == RateVerdict::allowed);
    // Two a minute: one more after 30 s.
    CHECK(limiter.check(page_a, "dial", start + 30s) == RateVerdict::allowed);
}

TEST_CASE("command rate: a page that goes is forgotten, and 0 turns a rate off", "[limits]") {
    CommandRateLimiter limiter({0, 0});
    for (int i = 0; i < 1000; ++i) REQUIRE(limiter.check(page_a, "dial", start) == RateVerdict::allowed);
    CHECK(limiter.tracked() == 1);
    limiter.forget(page_a);
    CHECK(limiter.tracked() == 0);
}
