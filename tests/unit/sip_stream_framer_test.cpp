#include <catch2/catch.hpp>

#include "sip/sip_message.hpp"
#include "sip/stream_framer.hpp"

using namespace cti::sip;

namespace {

std::string message(const std::string& call_id, const std::string& body = "") {
    return "NOTIFY sip:1001@127.0.0.1:5080;transport=tcp SIP/2.0\r\n"
           "Via: SIP/2.0/TCP 127.0.0.1:5060;branch=z9hG4bK" +
           call_id +
           "\r\n"
           "From: <sip:1001@pbx>;tag=a\r\n"
           "To: <sip:1001@pbx>;tag=b\r\n"
           "Call-ID: " +
           call_id +
           "\r\n"
           "CSeq: 1 NOTIFY\r\n" +
           (body.empty() ? std::string() : "Content-Type: message/sipfrag\r\n") +
           "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

}  // namespace

TEST_CASE("sip stream framer: a message split over many reads comes out whole, once", "[sip]") {
    const auto text = message("split", "SIP/2.0 180 Ringing\r\n");
    StreamFramer framer;
    for (std::size_t i = 0; i + 1 < text.size(); ++i) {
        framer.append(text.substr(i, 1));
        CHECK_FALSE(framer.next());  // the body's last byte is still missing
    }
    framer.append(text.substr(text.size() - 1));
    auto whole = framer.next();
    REQUIRE(whole);
    CHECK(*whole == text);
    CHECK_FALSE(framer.next());
    CHECK(framer.buffered() == 0);
    auto parsed = SipMessage::parse(*whole);
    REQUIRE(parsed);
    CHECK(parsed->body() == "SIP/2.0 180 Ringing\r\n");
}

TEST_CASE("sip stream framer: coalesced messages and keepalive CRLFs between them are separated",
          "[sip]") {
    const auto first = message("one", "abc");
    const auto second = message("two");
    const auto third = message("three", "SIP/2.0 200 OK\r\n");
    StreamFramer framer;
    framer.append("\r\n\r\n" + first + second + "\r\n" + third.substr(0, 40));
    CHECK(framer.next() == first);
    CHECK(framer.next() == second);
    CHECK_FALSE(framer.next());
    framer.append(third.substr(40));
    CHECK(framer.next() == third);
    CHECK_FALSE(framer.broken());
}

TEST_CASE("sip stream framer: the body is exactly Content-Length bytes, also in compact form",
          "[sip]") {
    auto compact = message("compact", "0123456789");
    compact.replace(compact.find("Content-Length"), 14, "l");
    StreamFramer framer;
    framer.append(compact + "SIP/2.0 100 Trying\r\n");
    auto first = framer.next();
    REQUIRE(first);
    CHECK(first->size() == compact.size());
    CHECK_FALSE(framer.next());  // the next message's headers are not finished
}

TEST_CASE("sip stream framer: data that cannot be framed breaks the stream for good", "[sip]") {
    SECTION("garbage instead of a start line") {
        StreamFramer framer;
        framer.append("this is not SIP\r\n\r\n");
        CHECK_FALSE(framer.next());
        CHECK(framer.broken());
        CHECK(framer.error().find("cannot be parsed") != std::string::npos);
    }
    SECTION("a Content-Length that is not a number") {
        auto text = message("bad-length");
        text.replace(text.find("Content-Length: 0"), 17, "Content-Length: ten");
        StreamFramer framer;
        framer.append(text);
        CHECK_FALSE(framer.next());
        CHECK(framer.broken());
    }
    SECTION("a header block that never ends") {
        StreamFramer framer(1024);
        framer.append("INVITE sip:1001@pbx SIP/2.0\r\n" + std::string(2000, 'x'));
        CHECK_FALSE(framer.next());
        CHECK(framer.broken());
        CHECK(framer.error().find("longer than 1024") != std::string::npos);
    }
    SECTION("a body over the limit") {
        StreamFramer framer(1024);
        framer.append(message("huge", std::string(2000, 'y')));
        CHECK_FALSE(framer.next());
        CHECK(framer.broken());
    }
    SECTION("a broken stream takes nothing more") {
        StreamFramer framer;
        framer.append("garbage\r\n\r\n");
        CHECK_FALSE(framer.next());
        framer.append(message("after"));
        CHECK_FALSE(framer.next());
        CHECK(framer.buffered() == 0);
    }
}
