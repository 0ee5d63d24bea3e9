// The rule for a phone system's own words in an ended call's detail (include/cti/end_detail.hpp).
#include <catch2/catch.hpp>

#include <string>

#include "cti/end_detail.hpp"

using cti::end_detail;

TEST_CASE("end detail: a status line passes unchanged", "[end_detail]") {
    CHECK(end_detail("486 Busy Here") == "486 Busy Here");
    CHECK(end_detail("404 Not Found") == "404 Not Found");
    CHECK(end_detail("").empty());
}

TEST_CASE("end detail: control characters become spaces and trailing space goes", "[end_detail]") {
    CHECK(end_detail("503 Service\x1b[31m Unavailable") == "503 Service [31m Unavailable");
    CHECK(end_detail("480 Temporarily Unavailable\r\n") == "480 Temporarily Unavailable");
    CHECK(end_detail("a\x7f" "b") == "a b");
}

TEST_CASE("end detail: it is cut at the maximum length", "[end_detail]") {
    CHECK(end_detail(std::string(300, 'x')).size() == cti::max_end_detail_length);
}

TEST_CASE("end detail: a quoted number keeps its last 4 digits, codes and extensions stay", "[end_detail]") {
    CHECK(end_detail("404 sip:+14155550123@pbx") == "404 sip:+*******0123@pbx");
    CHECK(end_detail("480 extension 2001 away") == "480 extension 2001 away");
    CHECK(end_detail("12345") == "*2345");
}

TEST_CASE("end detail: a number written with spaces, dashes, dots or brackets is masked too", "[end_detail]") {
    CHECK(end_detail("busy: +1 415 555 9876") == "busy: +* *** *** 9876");
    CHECK(end_detail("'+1 (415) 555-9876;x' refused") == "'+* (***) ***-9876;x' refused");
    CHECK(end_detail("415.555.9876") == "***.***.9876");
    CHECK(end_detail("0 41 55 59 87") == "* ** ** 59 87");
    SECTION("what only looks alike stays") {
        CHECK(end_detail("SIP/2.0 486 Busy Here") == "SIP/2.0 486 Busy Here");
        CHECK(end_detail("503 registrar 192.168.100.200:5060 down") == "503 registrar 192.168.100.200:5060 down");
        CHECK(end_detail("480 extension 2001, 2002") == "480 extension 2001, 2002");
        CHECK(end_detail("3 - 4") == "3 - 4");
    }
}
