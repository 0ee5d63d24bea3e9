#include <catch2/catch.hpp>

#include "cti/result.hpp"

namespace {

cti::Result<int> parse_digit(char c) {
    if (c < '0' || c > '9') return cti::fail(cti::ErrorKind::invalid_input, "expected a digit");
    return c - '0';
}

cti::Result<> check(bool ok) {
    if (!ok) return cti::fail(cti::ErrorKind::refused, "the peer said no");
    return {};
}

}  // namespace

TEST_CASE("result: a value or an error with its kind and words", "[result]") {
    auto good = parse_digit('7');
    REQUIRE(good);
    CHECK(*good == 7);

    auto bad = parse_digit('x');
    REQUIRE_FALSE(bad);
    CHECK(bad.error().kind == cti::ErrorKind::invalid_input);
    CHECK(bad.error().message == "expected a digit");
    CHECK(cti::to_string(bad.error().kind) == "invalid_input");

    CHECK(check(true));
    auto refused = check(false);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().kind == cti::ErrorKind::refused);
}
