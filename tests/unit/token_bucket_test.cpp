// The token bucket behind handshakes_per_second and the command rates (docs/CONFIG.md, 3.2).
#include <catch2/catch.hpp>

#include <chrono>

#include "core/token_bucket.hpp"

using cti::TokenBucket;
using namespace std::chrono_literals;

TEST_CASE("token bucket: a full burst, then refused until time refills it", "[limits]") {
    const auto start = TokenBucket::Clock::time_point{} + 1h;
    TokenBucket bucket(3, 1.0, start);
    CHECK(bucket.take(start));
    CHECK(bucket.take(start));
    CHECK(bucket.take(start));
    CHECK_FALSE(bucket.take(start));
    CHECK(bucket.seconds_until_token(start) == 1);
    CHECK_FALSE(bucket.take(start + 999ms));
    CHECK(bucket.take(start + 1s));
    CHECK_FALSE(bucket.take(start + 1s));
}

TEST_CASE("token bucket: never holds more than its capacity", "[limits]") {
    const auto start = TokenBucket::Clock::time_point{} + 1h;
    TokenBucket bucket(2, 10.0, start);
    const auto later = start + 1h;
    CHECK(bucket.take(later));
    CHECK(bucket.take(later));
    CHECK_FALSE(bucket.take(later));
}

TEST_CASE("token bucket: a slow refill gives a Retry-After of whole seconds", "[limits]") {
    const auto start = TokenBucket::Clock::time_point{} + 1h;
    TokenBucket bucket(1, 1.0 / 60.0, start);  // one a minute
    CHECK(bucket.take(start));
    CHECK(bucket.seconds_until_token(start) == 60);
    CHECK(bucket.seconds_until_token(start + 30s) == 30);
}

TEST_CASE("token bucket: capacity 0 means no limit", "[limits]") {
    TokenBucket bucket(0, 0.0);
    for (int i = 0; i < 1000; ++i) REQUIRE(bucket.take());
}
