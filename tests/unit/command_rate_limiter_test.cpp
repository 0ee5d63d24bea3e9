// Command and dial rates per rate key (a pairing, or an origin) (docs/PROTOCOL.md, section 5, close code 4029).
#include <catch2/catch.hpp>

#include <chrono>

#include "core/command_rate_limiter.hpp"

using namespace cti;
using namespace std::chrono_literals;

namespace {

// Stand-ins for two pages; the limiter only uses the address as a key.
const auto* const page_a = reinterpret_cast<const ClientConnection*>(0x1000);
const auto* const page_b = reinterpret_cast<const ClientConnection*>(0x2000);
const auto* const page_c = reinterpret_cast<const ClientConnection*>(0x3000);
const auto start = TokenBucket::Clock::time_point{} + 1h;
const std::string key_a = "pairing a";
const std::string key_b = "pairing b";

}  // namespace

TEST_CASE("command rate: over commands_per_minute only the offending page is stopped", "[limits]") {
    CommandRateLimiter limiter({3, 0});
    for (int i = 0; i < 3; ++i) REQUIRE(limiter.check(page_a, key_a, "ping", start) == RateVerdict::allowed);
    CHECK(limiter.check(page_a, key_a, "ping", start) == RateVerdict::commands_exceeded);
    CHECK(limiter.check(page_a, key_a, "ping", start + 1h) == RateVerdict::already_exceeded);
    CHECK(limiter.check(page_b, key_b, "ping", start) == RateVerdict::allowed);
}

TEST_CASE("command rate: dials and transfers have their own, stricter rate", "[limits]") {
    CommandRateLimiter limiter({100, 2});
    CHECK(limiter.check(page_a, key_a, "dial", start) == RateVerdict::allowed);
    CHECK(limiter.check(page_a, key_a, "transfer", start) == RateVerdict::allowed);
    for (int i = 0; i < 10; ++i) REQUIRE(limiter.check(page_a, key_a, "hangup", start) == RateVerdict::allowed);
    CHECK(limiter.check(page_a, key_a, "dial", start) == RateVerdict::dials_exceeded);
}

TEST_CASE("command rate: the rate refills over the minute", "[limits]") {
    CommandRateLimiter limiter({100, 2});
    CHECK(limiter.check(page_a, key_a, "dial", start) == RateVerdict::allowed);
    CHECK(limiter.check(page_a, key_a, "dial", start) == RateVerdict::allowed);
    // Two a minute: one more after 30 s.
    CHECK(limiter.check(page_a, key_a, "dial", start + 30s) == RateVerdict::allowed);
}

TEST_CASE("command rate: a page that goes is forgotten, and 0 turns a rate off", "[limits]") {
    CommandRateLimiter limiter({0, 0});
    for (int i = 0; i < 1000; ++i) REQUIRE(limiter.check(page_a, key_a, "dial", start) == RateVerdict::allowed);
    CHECK(limiter.tracked() == 1);
    limiter.forget(page_a, start);
    CHECK(limiter.tracked() == 0);
}

TEST_CASE("command rate: connections of one key share its rate, and reconnecting does not reset it", "[limits]") {
    CommandRateLimiter limiter({100, 3});
    CHECK(limiter.check(page_a, key_a, "dial", start) == RateVerdict::allowed);
    CHECK(limiter.check(page_b, key_a, "dial", start) == RateVerdict::allowed);
    limiter.forget(page_a, start);
    limiter.forget(page_b, start);
    // A reconnect (a new connection of the same key) finds the count as it was left.
    CHECK(limiter.check(page_c, key_a, "dial", start) == RateVerdict::allowed);
    CHECK(limiter.check(page_c, key_a, "dial", start) == RateVerdict::dials_exceeded);
    CHECK(limiter.check(page_a, key_b, "dial", start) == RateVerdict::allowed);
}

TEST_CASE("command rate: a key nobody uses is dropped once its buckets have refilled", "[limits]") {
    CommandRateLimiter limiter({100, 2});
    CHECK(limiter.check(page_a, key_a, "dial", start) == RateVerdict::allowed);
    limiter.forget(page_a, start);
    CHECK(limiter.tracked() == 1);  // still counts the dial
    CHECK(limiter.check(page_b, key_b, "ping", start + 1min) == RateVerdict::allowed);
    CHECK(limiter.tracked() == 1);  // key_a had refilled: only key_b is left
}
