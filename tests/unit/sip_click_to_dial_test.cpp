#include <catch2/catch.hpp>

#include "sip/click_to_dial_call.hpp"
#include "sip/sip_dialog.hpp"
#include "sip/sipfrag.hpp"

using namespace cti;
using namespace cti::sip;

namespace {

const LocalAgent agent{"UDP", "127.0.0.1:5080", "<sip:1001@127.0.0.1:5080>"};

// The phone's 200 to the control INVITE, through a record-routing proxy.
std::string answer_text(const SipMessage& invite) {
    return "SIP/2.0 200 OK\r\n"
           "Via: SIP/2.0/UDP 127.0.0.1:5080;branch=" +
           invite.branch() +
           "\r\n"
           "Record-Route: <sip:10.0.0.2;lr>\r\n"
           "Record-Route: <sip:10.0.0.1;lr>\r\n"
           "From: <sip:1001@pbx.example.com>;tag=" +
           invite.from_tag() +
           "\r\n"
           "To: <sip:1001@pbx.example.com>;tag=phone1\r\n"
           "Call-ID: " +
           invite.call_id() +
           "\r\n"
           "CSeq: 1 INVITE\r\n"
           "Contact: <sip:1001@10.0.0.9:5062>\r\n"
           "Content-Length: 0\r\n\r\n";
}

}  // namespace

TEST_CASE("sipfrag: the status line of a referred call's progress", "[sip]") {
    CHECK(sipfrag_status("SIP/2.0 100 Trying\r\n")->code == 100);
    CHECK(sipfrag_status("SIP/2.0 180 Ringing")->code == 180);  // no line end
    CHECK(sipfrag_status("SIP/2.0 200 OK\r\n\r\n")->code == 200);
    CHECK(sipfrag_status("SIP/2.0 486 Busy Here\r\nContent-Length: 0\r\n\r\n")->code == 486);
    CHECK(sipfrag_status("SIP/2.0 603 Decline\r\nReason: Q.850;cause=21\r\n")->code == 603);
}

TEST_CASE("sipfrag: the status line keeps the far end's reason phrase", "[sip]") {
    CHECK(sipfrag_status("SIP/2.0 486 Busy Here\r\n")->line == "486 Busy Here");
    CHECK(sipfrag_status("SIP/2.0 480 Temporarily Unavailable")->line == "480 Temporarily Unavailable");
}

TEST_CASE("sipfrag: what is not a response fragment has no status", "[sip]") {
    CHECK_FALSE(sipfrag_status(""));
    CHECK_FALSE(sipfrag_status("garbage"));
    CHECK_FALSE(sipfrag_status("INVITE sip:5559999@pbx SIP/2.0\r\n"));
    CHECK_FALSE(sipfrag_status("SIP/2.0 abc Nonsense\r\n"));
    CHECK_FALSE(sipfrag_status(std::string(300, '\xff')));
}

TEST_CASE(
    "sip dialog: the control INVITE goes to the phone, the REFER to its Contact along the route "
    "set",
    "[sip]") {
    SipDialog dialog("c2d-1@cti-adapter", "\"5559999\" <sip:1001@pbx.example.com>",
                     "sip:1001@pbx.example.com");
    auto invite = dialog.request("INVITE", agent);
    CHECK(invite.request_uri() == "sip:1001@pbx.example.com");
    CHECK(invite.from().display_name == "5559999");
    CHECK(invite.from_tag() == dialog.local_tag());
    CHECK(invite.to_tag().empty());
    CHECK(invite.cseq() == 1);
    CHECK(invite.header("route").empty());

    auto answer = SipMessage::parse(answer_text(invite));
    REQUIRE(answer);
    dialog.establish(*answer);
    REQUIRE(dialog.established());
    CHECK(dialog.remote_tag() == "phone1");
    CHECK(dialog.remote_target() == "sip:1001@10.0.0.9:5062");

    auto ack = SipMessage::parse(dialog.ack(agent).to_string());
    REQUIRE(ack);
    CHECK(ack->method() == "ACK");
    CHECK(ack->cseq() == 1);  // the INVITE's number
    CHECK(ack->to_tag() == "phone1");
    CHECK(ack->branch() != invite.branch());  // the ACK of a 2xx is a transaction of its own

    auto refer = SipMessage::parse(
        dialog.refer(agent, "sip:+15559999@pbx.example.com", "sip:1001@pbx.example.com")
            .to_string());
    REQUIRE(refer);
    CHECK(refer->method() == "REFER");
    CHECK(refer->request_uri() == "sip:1001@10.0.0.9:5062");
    CHECK(refer->cseq() == 2);
    CHECK(refer->call_id() == "c2d-1@cti-adapter");
    CHECK(refer->from_tag() == dialog.local_tag());
    CHECK(refer->to_tag() == "phone1");
    CHECK(refer->header("refer-to") == "<sip:+15559999@pbx.example.com>");
    CHECK(refer->header("referred-by") == "<sip:1001@pbx.example.com>");
    const auto text = refer->to_string();
    // Record-Route read bottom-up: the proxy next to the adapter comes first.
    CHECK(text.find("Route: <sip:10.0.0.1;lr>") < text.find("Route: <sip:10.0.0.2;lr>"));

    CHECK(SipMessage::parse(dialog.request("BYE", agent).to_string())->cseq() == 3);
}

TEST_CASE("sip dialog: a retransmitted or second 2xx does not change the dialog", "[sip]") {
    SipDialog dialog("c2d-2@cti-adapter", "<sip:1001@pbx>", "sip:1001@pbx");
    auto invite = dialog.request("INVITE", agent);
    auto answer = SipMessage::parse(answer_text(invite));
    REQUIRE(answer);
    dialog.establish(*answer);
    auto other = answer_text(invite);
    other.replace(other.find("tag=phone1"), 10, "tag=phone2");
    dialog.establish(*SipMessage::parse(other));
    CHECK(dialog.remote_tag() == "phone1");
}

TEST_CASE("sip message: CANCEL and the failure ACK of an INVITE are hop by hop", "[sip]") {
    SipDialog dialog("c2d-3@cti-adapter", "<sip:1001@pbx>", "sip:1001@pbx");
    auto invite = dialog.request("INVITE", agent);
    invite.set_body("application/sdp", inactive_sdp_offer("127.0.0.1"));

    auto cancel = SipMessage::parse(invite.cancel().to_string());
    REQUIRE(cancel);
    CHECK(cancel->method() == "CANCEL");
    CHECK(cancel->request_uri() == invite.request_uri());
    CHECK(cancel->branch() == invite.branch());
    CHECK(cancel->cseq() == invite.cseq());
    CHECK(cancel->from_tag() == invite.from_tag());
    CHECK(cancel->body().empty());

    auto busy_text = answer_text(invite);
    busy_text.replace(0, 15, "SIP/2.0 486 Busy Here");
    auto busy = SipMessage::parse(busy_text);
    REQUIRE(busy);
    auto ack = SipMessage::parse(invite.failure_ack(*busy).to_string());
    REQUIRE(ack);
    CHECK(ack->method() == "ACK");
    CHECK(ack->branch() == invite.branch());
    CHECK(ack->to_tag() == "phone1");
    CHECK(ack->cseq() == invite.cseq());
}

TEST_CASE("click-to-dial: how a refused phone or a failed referred call ends the call", "[sip]") {
    CHECK(referred_call_end_reason(486) == EndReason::busy);
    CHECK(referred_call_end_reason(600) == EndReason::busy);
    CHECK(referred_call_end_reason(603) == EndReason::rejected);
    CHECK(referred_call_end_reason(487) == EndReason::normal);
    CHECK(referred_call_end_reason(404) == EndReason::failed);
    CHECK(referred_call_end_reason(503) == EndReason::failed);
    CHECK(phone_refusal_end_reason(486) == EndReason::rejected);
    CHECK(phone_refusal_end_reason(603) == EndReason::rejected);
    CHECK(phone_refusal_end_reason(480) == EndReason::failed);
    CHECK(phone_refusal_end_reason(487) == EndReason::failed);
}

TEST_CASE("click-to-dial: the control leg offers no media", "[sip]") {
    const auto sdp = inactive_sdp_offer("10.0.0.5");
    CHECK(sdp.find("c=IN IP4 10.0.0.5\r\n") != std::string::npos);
    CHECK(sdp.find("a=inactive\r\n") != std::string::npos);
    CHECK(sdp.rfind("v=0\r\n", 0) == 0);
}
