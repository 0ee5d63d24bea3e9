// The dial-string rule (docs/PROTOCOL.md, section 2.2) and the DTMF digit rule.
#include <catch2/catch.hpp>

#include <optional>
#include <string>

#include "cti/dial_string.hpp"

using cti::is_valid_dtmf;
using cti::normalize_dial_string;

TEST_CASE("dial string: plain digits '*' and '#' pass unchanged", "[dial_string]") {
    CHECK(normalize_dial_string("14155550123") == std::optional<std::string>("14155550123"));
    CHECK(normalize_dial_string("*72#") == std::optional<std::string>("*72#"));
    CHECK(normalize_dial_string("0") == std::optional<std::string>("0"));
    CHECK(normalize_dial_string("#") == std::optional<std::string>("#"));
}

TEST_CASE("dial string: visual separators are removed", "[dial_string]") {
    CHECK(normalize_dial_string("+1 (415) 555-0123") == std::optional<std::string>("+14155550123"));
    CHECK(normalize_dial_string("415.555.0123") == std::optional<std::string>("4155550123"));
    CHECK(normalize_dial_string(" 1 2 3 ") == std::optional<std::string>("123"));
    CHECK(normalize_dial_string("(0)-1") == std::optional<std::string>("01"));
}

TEST_CASE("dial string: a leading '+' is kept", "[dial_string]") {
    CHECK(normalize_dial_string("+442071234567") == std::optional<std::string>("+442071234567"));
    SECTION("also after leading separators") {
        CHECK(normalize_dial_string(" (+44) 20") == std::optional<std::string>("+4420"));
    }
}

TEST_CASE("dial string: '+' is allowed only as the first character", "[dial_string]") {
    CHECK_FALSE(normalize_dial_string("1+2"));
    CHECK_FALSE(normalize_dial_string("++1"));
    CHECK_FALSE(normalize_dial_string("123+"));
}

TEST_CASE("dial string: letters and SIP/header characters are refused", "[dial_string]") {
    CHECK_FALSE(normalize_dial_string("1-800-FLOWERS"));
    CHECK_FALSE(normalize_dial_string("abc"));
    CHECK_FALSE(normalize_dial_string("100@evil.example"));
    CHECK_FALSE(normalize_dial_string("100;transport=tcp"));
    CHECK_FALSE(normalize_dial_string("<100>"));
    CHECK_FALSE(normalize_dial_string("100>"));
    CHECK_FALSE(normalize_dial_string("100\r\nVia: x"));
    CHECK_FALSE(normalize_dial_string("100\n"));
    CHECK_FALSE(normalize_dial_string("100\r"));
    CHECK_FALSE(normalize_dial_string("100\t"));
    CHECK_FALSE(normalize_dial_string(std::string("10\0" "0", 4)));
    CHECK_FALSE(normalize_dial_string("sip:100"));
    CHECK_FALSE(normalize_dial_string("１２３"));  // full-width digits are not ASCII digits
}

TEST_CASE("dial string: empty lone '+' and separators only are refused", "[dial_string]") {
    CHECK_FALSE(normalize_dial_string(""));
    CHECK_FALSE(normalize_dial_string("+"));
    CHECK_FALSE(normalize_dial_string(" + "));
    CHECK_FALSE(normalize_dial_string(" -.() "));
}

TEST_CASE("dial string: at most 32 characters after cleaning", "[dial_string]") {
    const std::string thirty_two(32, '5');
    CHECK(normalize_dial_string(thirty_two) == std::optional<std::string>(thirty_two));
    CHECK_FALSE(normalize_dial_string(thirty_two + "5"));
    SECTION("the leading '+' counts") {
        CHECK(normalize_dial_string("+" + std::string(31, '5')) ==
              std::optional<std::string>("+" + std::string(31, '5')));
        CHECK_FALSE(normalize_dial_string("+" + thirty_two));
    }
    SECTION("separators do not count") {
        CHECK(normalize_dial_string(std::string(10, ' ') + thirty_two + "--") ==
              std::optional<std::string>(thirty_two));
    }
}

TEST_CASE("dtmf: digits '*' '#' and A-D are valid", "[dial_string][dtmf]") {
    CHECK(is_valid_dtmf("0123456789"));
    CHECK(is_valid_dtmf("*#"));
    CHECK(is_valid_dtmf("ABCD"));
    CHECK(is_valid_dtmf("1"));
    CHECK(is_valid_dtmf(std::string(32, '9')));
}

TEST_CASE("dtmf: empty too long lower case and other characters are invalid",
          "[dial_string][dtmf]") {
    CHECK_FALSE(is_valid_dtmf(""));
    CHECK_FALSE(is_valid_dtmf(std::string(33, '9')));
    CHECK_FALSE(is_valid_dtmf("a"));
    CHECK_FALSE(is_valid_dtmf("E"));
    CHECK_FALSE(is_valid_dtmf("1 2"));
    CHECK_FALSE(is_valid_dtmf("+1"));
    CHECK_FALSE(is_valid_dtmf("1-2"));
    CHECK_FALSE(is_valid_dtmf("1\r\n"));
}
