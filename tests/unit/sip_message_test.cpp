#include <catch2/catch.hpp>

#include "sip/backoff.hpp"
#include "sip/sip_message.hpp"

using namespace cti::sip;

namespace {

const char* invite_text =
    "INVITE sip:1001@127.0.0.1:5080 SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKproxy\r\n"
    "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKcaller\r\n"
    "Record-Route: <sip:127.0.0.1:5060;lr>\r\n"
    "From: \"Alice Caller\" <sip:5551234@127.0.0.1:5070>;tag=abc\r\n"
    "To: <sip:1001@127.0.0.1>\r\n"
    "Call-ID: call-1@127.0.0.1\r\n"
    "CSeq: 7 INVITE\r\n"
    "Contact: <sip:5551234@127.0.0.1:5070>\r\n"
    "Max-Forwards: 69\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

}  // namespace

TEST_CASE("sip message: an INVITE is parsed into the fields the driver uses", "[sip]") {
    auto invite = SipMessage::parse(invite_text);
    REQUIRE(invite);
    CHECK(invite->is_request());
    CHECK(invite->method() == "INVITE");
    CHECK(invite->call_id() == "call-1@127.0.0.1");
    CHECK(invite->cseq() == 7);
    CHECK(invite->branch() == "z9hG4bKproxy");
    CHECK(invite->from_tag() == "abc");
    CHECK(invite->to_tag().empty());
    CHECK(invite->from().display_name == "Alice Caller");
    CHECK(invite->from().user == "5551234");
    CHECK(invite->to().user == "1001");
    CHECK(invite->request_uri() == "sip:1001@127.0.0.1:5080");
}

TEST_CASE("sip message: a response copies Via, Record-Route, From, To, Call-ID, CSeq and adds the To tag", "[sip]") {
    auto invite = SipMessage::parse(invite_text);
    REQUIRE(invite);
    auto ringing = SipMessage::response(*invite, 180, "Ringing", "totag1");
    auto reparsed = SipMessage::parse(ringing.to_string());
    REQUIRE(reparsed);
    CHECK_FALSE(reparsed->is_request());
    CHECK(reparsed->status() == 180);
    CHECK(reparsed->reason() == "Ringing");
    CHECK(reparsed->method() == "INVITE");
    CHECK(reparsed->branch() == "z9hG4bKproxy");
    CHECK(reparsed->to_tag() == "totag1");
    CHECK(reparsed->from_tag() == "abc");
    CHECK(reparsed->call_id() == "call-1@127.0.0.1");
    const auto text = ringing.to_string();
    CHECK(text.find("z9hG4bKcaller") != std::string::npos);
    CHECK(text.find("Record-Route: <sip:127.0.0.1:5060;lr>") != std::string::npos);
}

TEST_CASE("sip message: a built request round-trips through libosip2", "[sip]") {
    auto request = SipMessage::request("REGISTER", "sip:pbx.example.com");
    REQUIRE(request);
    CHECK(request->add_header("Via", "SIP/2.0/UDP 10.0.0.5:5062;branch=z9hG4bK123;rport"));
    CHECK(request->add_header("From", "\"Agent\" <sip:1001@pbx.example.com>;tag=t1"));
    CHECK(request->add_header("To", "<sip:1001@pbx.example.com>"));
    CHECK(request->add_header("Call-ID", "reg-1@host"));
    CHECK(request->add_header("CSeq", "3 REGISTER"));
    CHECK(request->add_header("Contact", "<sip:1001@10.0.0.5:5062>"));
    CHECK(request->add_header("Expires", "600"));
    auto parsed = SipMessage::parse(request->to_string());
    REQUIRE(parsed);
    CHECK(parsed->method() == "REGISTER");
    CHECK(parsed->branch() == "z9hG4bK123");
    CHECK(parsed->cseq() == 3);
    CHECK(parsed->expires() == 600);
    CHECK(parsed->from().display_name == "Agent");
    CHECK(parsed->header("expires") == "600");
}

TEST_CASE("sip message: a 401 challenge and a 200 with contact expiry are read", "[sip]") {
    const char* text =
        "SIP/2.0 401 Unauthorized\r\n"
        "Via: SIP/2.0/UDP 127.0.0.1:5080;branch=z9hG4bKr1\r\n"
        "From: <sip:1001@127.0.0.1>;tag=a\r\n"
        "To: <sip:1001@127.0.0.1>;tag=b\r\n"
        "Call-ID: r@h\r\n"
        "CSeq: 1 REGISTER\r\n"
        "WWW-Authenticate: Digest realm=\"127.0.0.1\", nonce=\"n0nce\", qop=\"auth\", opaque=\"op\"\r\n"
        "Content-Length: 0\r\n\r\n";
    auto response = SipMessage::parse(text);
    REQUIRE(response);
    CHECK(response->status() == 401);
    CHECK(response->method() == "REGISTER");
    auto challenge = response->challenge();
    REQUIRE(challenge);
    CHECK_FALSE(challenge->proxy);
    CHECK(challenge->realm == "127.0.0.1");
    CHECK(challenge->nonce == "n0nce");
    CHECK(challenge->qop == "auth");
    CHECK(challenge->opaque == "op");

    const char* ok =
        "SIP/2.0 200 OK\r\n"
        "Via: SIP/2.0/UDP 127.0.0.1:5080;branch=z9hG4bKr2\r\n"
        "From: <sip:1001@127.0.0.1>;tag=a\r\n"
        "To: <sip:1001@127.0.0.1>;tag=b\r\n"
        "Call-ID: r@h\r\n"
        "CSeq: 2 REGISTER\r\n"
        "Contact: <sip:1001@10.0.0.9:5060>;expires=3000\r\n"
        "Contact: <sip:1001@127.0.0.1:5080>;expires=60\r\n"
        "Content-Length: 0\r\n\r\n";
    auto registered = SipMessage::parse(ok);
    REQUIRE(registered);
    CHECK(registered->expires("sip:1001@127.0.0.1:5080") == 60);  // ours, not the deskphone's
    CHECK(registered->expires() == 3000);
    CHECK_FALSE(registered->challenge());
}

TEST_CASE("sip message: malformed input is refused, not crashed on", "[sip]") {
    CHECK_FALSE(SipMessage::parse(""));
    CHECK_FALSE(SipMessage::parse("\r\n\r\n"));
    CHECK_FALSE(SipMessage::parse("hello world"));
    CHECK_FALSE(SipMessage::parse("INVITE sip:x SIP/2.0\r\nContent-Length: 0\r\n\r\n"));  // no Via, Call-ID...
    std::string truncated(invite_text);
    CHECK_FALSE(SipMessage::parse(truncated.substr(0, 40)));
    CHECK_FALSE(SipMessage::request("INVITE", "not a uri"));
}

TEST_CASE("sip message: the Reason header's SIP cause", "[sip]") {
    CHECK(sip_reason_cause("SIP;cause=200;text=\"Call completed elsewhere\"") == 200);
    CHECK(sip_reason_cause("SIP ; cause = 487") == 487);
    CHECK_FALSE(sip_reason_cause("Q.850;cause=16"));
    CHECK_FALSE(sip_reason_cause(""));
    CHECK_FALSE(sip_reason_cause("SIP;cause=abc"));
    CHECK_FALSE(sip_reason_cause("SIP;text=\"x\""));
}

TEST_CASE("sip backoff: doubles from the initial delay up to the cap, and restarts after reset", "[sip]") {
    Backoff backoff(100, 500);
    CHECK(backoff.next_ms() == 100);
    CHECK(backoff.next_ms() == 200);
    CHECK(backoff.next_ms() == 400);
    CHECK(backoff.next_ms() == 500);
    CHECK(backoff.next_ms() == 500);
    backoff.reset();
    CHECK(backoff.next_ms() == 100);
}
