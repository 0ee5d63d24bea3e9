// What may appear in a log: masked phone numbers and printable outside text.
#include <catch2/catch.hpp>

#include <string>

#include <spdlog/spdlog.h>

#include "logging/logging.hpp"

using cti::masked;
using cti::printable;

namespace {

// Sets the default logger's level for the lifetime of the object, then restores it.
class LogLevel {
public:
    explicit LogLevel(spdlog::level::level_enum level)
        : previous_(spdlog::default_logger_raw()->level()) {
        spdlog::set_level(level);
    }
    ~LogLevel() { spdlog::set_level(previous_); }
    LogLevel(const LogLevel&) = delete;
    LogLevel& operator=(const LogLevel&) = delete;

private:
    spdlog::level::level_enum previous_;
};

}  // namespace

TEST_CASE("masked: at info level only the last 4 digits are shown", "[logging]") {
    const LogLevel level(spdlog::level::info);
    CHECK(masked("+14155550123") == "+*******0123");
    CHECK(masked("4155550123") == "******0123");
    CHECK(masked("12345") == "*2345");
    SECTION("separators are replaced and do not count as digits") {
        CHECK(masked("+1 (415) 555-0123") == "+*??***??***?0123");
    }
    SECTION("'*' and '#' stay visible") {
        CHECK(masked("4155550123#") == "******0123#");
        CHECK(masked("4155550123*") == "******0123*");
        CHECK(masked("*67#4155550123") == "***#******0123");  // feature-code digits count too
    }
}

TEST_CASE("masked: numbers of 4 digits or fewer are shown whole", "[logging]") {
    const LogLevel level(spdlog::level::info);
    CHECK(masked("1001") == "1001");
    CHECK(masked("123") == "123");
    CHECK(masked("*72#") == "*72#");
    CHECK(masked("") == "");
}

TEST_CASE("masked: names are not numbers and stay readable", "[logging]") {
    const LogLevel level(spdlog::level::info);
    CHECK(masked("agent") == "agent");  // a SIP user
    CHECK(masked("front.desk_2") == "front.desk_2");
    CHECK(masked("alice4155550123") == "alice******0123");
}

TEST_CASE("masked: other characters cannot reach the log", "[logging]") {
    const LogLevel level(spdlog::level::warn);
    CHECK(masked("12\r\n34") == "12??34");
    CHECK(masked("555@evil;x") == "555?evil?x");
    CHECK(masked("+1415555012\n3") == "+*******012?3");
}

TEST_CASE("masked: the full number is shown at debug and trace level", "[logging]") {
    SECTION("debug") {
        const LogLevel level(spdlog::level::debug);
        CHECK(masked("+14155550123") == "+14155550123");
        CHECK(masked("4155550123") == "4155550123");
    }
    SECTION("trace") {
        const LogLevel level(spdlog::level::trace);
        CHECK(masked("+14155550123") == "+14155550123");
    }
    SECTION("control characters are still replaced") {
        const LogLevel level(spdlog::level::debug);
        CHECK(masked("123\r\n456") == "123??456");
    }
}

TEST_CASE("masked: the logger's level is restored after the tests above", "[logging]") {
    const auto before = spdlog::default_logger_raw()->level();
    {
        const LogLevel level(spdlog::level::debug);
        CHECK(spdlog::default_logger_raw()->level() == spdlog::level::debug);
    }
    CHECK(spdlog::default_logger_raw()->level() == before);
}

TEST_CASE("printable: control characters are replaced", "[logging]") {
    CHECK(printable("Ada\r\nINFO forged line") == "Ada??INFO forged line");
    CHECK(printable("a\tb") == "a?b");
    CHECK(printable(std::string("a\0b", 3)) == "a?b");
    CHECK(printable("\x1b[31mred") == "?[31mred");
    CHECK(printable("del\x7f") == "del?");
    SECTION("ordinary and non-ASCII text is kept") {
        CHECK(printable("Zoë O'Brien <zoe>") == "Zoë O'Brien <zoe>");
        CHECK(printable("") == "");
    }
}

TEST_CASE("printable: long text is truncated", "[logging]") {
    CHECK(printable(std::string(100, 'x')) == std::string(80, 'x') + "...");
    CHECK(printable(std::string(80, 'x')) == std::string(80, 'x'));
    CHECK(printable(std::string(81, 'x')) == std::string(80, 'x') + "...");
    CHECK(printable("abcdef", 3) == "abc...");
    CHECK(printable("abc", 3) == "abc");
    CHECK(printable("ab\ncd", 3) == "ab?...");
}

TEST_CASE("printable: C1 controls, line separators and bidi controls are replaced", "[logging]") {
    CHECK(printable("a\xc2\x85" "b") == "a?b");                  // NEL, U+0085
    CHECK(printable("a\xc2\x9b" "31mred") == "a?31mred");        // CSI, U+009B
    CHECK(printable("a\xc2\x80\xc2\x9f" "b") == "a??b");         // both ends of C1
    CHECK(printable("a\x9b" "31mred") == "a?31mred");            // a raw 8-bit CSI byte
    CHECK(printable("x\xe2\x80\xa8y\xe2\x80\xa9z") == "x?y?z");  // U+2028, U+2029
    for (const char* bidi : {"\xe2\x80\xaa", "\xe2\x80\xab", "\xe2\x80\xac", "\xe2\x80\xad", "\xe2\x80\xae",
                             "\xe2\x81\xa6", "\xe2\x81\xa7", "\xe2\x81\xa8", "\xe2\x81\xa9", "\xe2\x80\x8e",
                             "\xe2\x80\x8f", "\xd8\x9c"}) {
        INFO("bytes: " << bidi);
        CHECK(printable(std::string("evil") + bidi + "moc.example") == "evil?moc.example");
    }
    SECTION("bytes that are not UTF-8 are replaced one by one") {
        CHECK(printable("\xc0\xaf") == "??");          // overlong '/'
        CHECK(printable("\xed\xa0\x80") == "???");     // a surrogate
        CHECK(printable("\xe2\x80") == "??");          // cut short
        CHECK(printable("\xff\xfe") == "??");
    }
    SECTION("other characters beyond ASCII stay") {
        CHECK(printable("\xe2\x80\x94 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x93\x9e \xc2\xa0") ==
              "\xe2\x80\x94 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x93\x9e \xc2\xa0");
    }
    SECTION("the limit never cuts a character in half") {
        CHECK(printable("ab\xc3\xab", 3) == "ab...");
        CHECK(printable("ab\xc3\xab", 4) == "ab\xc3\xab");
    }
}
