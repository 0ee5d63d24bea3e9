// Ring-only mode: who is calling, from the INVITE that rings the driver.
#include <catch2/catch.hpp>

#include "sip/caller_identity.hpp"

using namespace cti;
using namespace cti::sip;

namespace {

SipMessage invite(const std::string& from, const std::string& extra = {}) {
    const std::string text =
        "INVITE sip:1001@127.0.0.1 SIP/2.0\r\n"
        "Via: SIP/2.0/UDP 127.0.0.1:5090;branch=z9hG4bK-1\r\n"
        "From: " + from + ";tag=caller\r\n"
        "To: <sip:1001@127.0.0.1>\r\n"
        "Call-ID: identity-test\r\n"
        "CSeq: 1 INVITE\r\n" + extra +
        "Content-Length: 0\r\n\r\n";
    auto parsed = SipMessage::parse(text);
    REQUIRE(parsed);
    return std::move(*parsed);
}

}  // namespace

TEST_CASE("sip caller identity: From's number and display name when nothing is asserted", "[sip]") {
    const auto caller = caller_of(invite("\"Alice Caller\" <sip:5551234@pbx.example.com>"));
    CHECK(caller.number == "5551234");
    CHECK(caller.name == "Alice Caller");
}

TEST_CASE("sip caller identity: P-Asserted-Identity's name and number come before From's", "[sip]") {
    const auto caller = caller_of(invite("\"Front Desk\" <sip:anonymous@pbx.example.com>",
                                         "P-Asserted-Identity: \"Ada Lovelace\" <sip:+14155550123@pbx.example.com>\r\n"));
    CHECK(caller.number == "+14155550123");
    CHECK(caller.name == "Ada Lovelace");
}

TEST_CASE("sip caller identity: a sip and a tel identity, in one header or two, each fills what it gives", "[sip]") {
    auto caller = caller_of(invite("<sip:5550000@pbx.example.com>",
                                   "P-Asserted-Identity: <sip:pbx-user@pbx.example.com>, \"Bob, Jr.\" <tel:+14155550199>\r\n"));
    CHECK(caller.number == "+14155550199");  // the sip identity names no number
    CHECK(caller.name == "Bob, Jr.");        // the comma in the quotes does not split
    caller = caller_of(invite("\"From Name\" <sip:5550000@pbx.example.com>",
                              "P-Asserted-Identity: <tel:+14155550100>\r\n"
                              "P-Asserted-Identity: <sip:+14155550101@pbx.example.com>\r\n"));
    CHECK(caller.number == "+14155550100");
    CHECK(caller.name == "From Name");  // no asserted name: From's
}

TEST_CASE("sip caller identity: an asserted identity that does not parse is left out", "[sip]") {
    const auto caller = caller_of(invite("\"Carol\" <sip:5550042@pbx.example.com>", "P-Asserted-Identity: <<<\r\n"));
    CHECK(caller.number == "5550042");
    CHECK(caller.name == "Carol");
}
