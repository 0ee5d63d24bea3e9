// How baresip's call events become call reports (sequences seen from baresip 1.0.0).
#include <catch2/catch.hpp>

#include "baresip/call_tracker.hpp"

using namespace cti::baresip;
using cti::CallReport;
using cti::Direction;
using cti::EndReason;
using Kind = CallReport::Kind;

namespace {

const std::string account = "sip:agent@127.0.0.1:5062";

CtrlEvent incoming(const std::string& type, const std::string& param = "") {
    CtrlEvent event;
    event.type = type;
    event.event_class = "call";
    event.direction = "incoming";
    event.id = "1-13692@127.0.0.1";
    event.peer_uri = "sip:5551234@127.0.0.1:5070";
    event.peer_display_name = "Alice Caller";
    event.account_aor = account;
    event.param = param;
    return event;
}

CtrlEvent outgoing(const std::string& type, const std::string& id, const std::string& param = "") {
    CtrlEvent event;
    event.type = type;
    event.event_class = "call";
    event.direction = "outgoing";
    event.id = id;
    event.peer_uri = "sip:5559999@127.0.0.1:5070";
    event.account_aor = account;
    event.param = param;
    return event;
}

CtrlEvent other(const std::string& type, CtrlEvent event) {
    event.type = type;
    event.event_class = "other";
    return event;
}

EndReason single_end(const Reports& reports) {
    REQUIRE(reports.size() == 1);
    REQUIRE(reports[0].kind == Kind::ended);
    return reports[0].reason;
}

}  // namespace

TEST_CASE("baresip tracker: an incoming call is offered with the caller's number and name", "[baresip]") {
    CallTracker tracker;
    auto reports = tracker.on_event(incoming("CALL_INCOMING"));
    REQUIRE(reports.size() == 1);
    CHECK(reports[0].kind == Kind::offered);
    CHECK(reports[0].ref == "1-13692@127.0.0.1");
    CHECK(reports[0].direction == Direction::inbound);
    CHECK(reports[0].from == cti::Party{"5551234", "Alice Caller"});
    CHECK(reports[0].to.number == "agent");
    CHECK(tracker.on_event(incoming("CALL_INCOMING")).empty());  // a repeat is not a new call
}

TEST_CASE("baresip tracker: inbound endings", "[baresip]") {
    CallTracker tracker;
    tracker.on_event(incoming("CALL_INCOMING"));
    SECTION("answered, then hung up by either side: normal") {
        CHECK(tracker.on_event(other("CALL_REMOTE_SDP", incoming("x", "offer"))).empty());
        auto connected = tracker.on_event(incoming("CALL_ESTABLISHED"));
        REQUIRE(connected.size() == 1);
        CHECK(connected[0].kind == Kind::connected);
        CHECK(single_end(tracker.on_event(incoming("CALL_CLOSED", "Connection reset by peer"))) == EndReason::normal);
    }
    SECTION("closed by the caller while ringing: missed") {
        CHECK(single_end(tracker.on_event(incoming("CALL_CLOSED", "Connection reset by peer"))) == EndReason::missed);
    }
    SECTION("declined by the agent; the event may come before the response: rejected") {
        tracker.agent_ends("1-13692@127.0.0.1");
        CHECK(single_end(tracker.on_event(incoming("CALL_CLOSED", "Connection reset by user"))) == EndReason::rejected);
    }
    CHECK(tracker.size() == 0);
    CHECK(tracker.on_event(incoming("CALL_CLOSED")).empty());  // late repeats are ignored
}

TEST_CASE("baresip tracker: a dial is reported at once and bound to the first outgoing call event", "[baresip]") {
    CallTracker tracker;
    tracker.set_account(account);
    auto dialing = tracker.begin_dial("call-7", "5559999");
    REQUIRE(dialing.size() == 1);
    CHECK(dialing[0].kind == Kind::dialing);
    CHECK(dialing[0].ref == "call-7");
    CHECK(dialing[0].to.number == "5559999");
    CHECK(dialing[0].from.number == "agent");
    // CALL_LOCAL_SDP carries no id and is not a call event: it binds nothing.
    CHECK(tracker.on_event(other("CALL_LOCAL_SDP", outgoing("x", "", "offer"))).empty());
    CHECK(tracker.on_event(outgoing("CALL_RINGING", "e25a893153968d79")).empty());
    CHECK(tracker.baresip_id("call-7") == "e25a893153968d79");
    auto connected = tracker.on_event(outgoing("CALL_ESTABLISHED", "e25a893153968d79"));
    REQUIRE(connected.size() == 1);
    CHECK(connected[0].ref == "call-7");
    CHECK(connected[0].kind == Kind::connected);
    tracker.agent_ends("call-7");
    CHECK(single_end(tracker.on_event(outgoing("CALL_CLOSED", "e25a893153968d79", "Connection reset by user"))) == EndReason::normal);
}

TEST_CASE("baresip tracker: why an unanswered dial ended", "[baresip]") {
    auto end_of = [](const std::string& param, bool agent) {
        CallTracker tracker;
        tracker.begin_dial("d", "5557777");
        if (agent) tracker.agent_ends("d");
        auto reports = tracker.on_event(outgoing("CALL_CLOSED", "afd91db81996e83a", param));
        REQUIRE(reports.size() == 1);
        CHECK(reports[0].ref == "d");
        return reports[0].reason;
    };
    CHECK(end_of("486 Busy Here", false) == EndReason::busy);
    CHECK(end_of("600 Busy Everywhere", false) == EndReason::busy);
    CHECK(end_of("603 Decline", false) == EndReason::rejected);
    CHECK(end_of("Connection reset by peer", false) == EndReason::rejected);
    CHECK(end_of("404 Not Found", false) == EndReason::failed);
    CHECK(end_of("480 Temporarily Unavailable", false) == EndReason::failed);
    CHECK(end_of("Connection reset by user", true) == EndReason::normal);  // the agent cancelled
    CHECK(end_of("4861 odd", false) == EndReason::rejected);
}

TEST_CASE("baresip tracker: a call that never came about carries baresip's reason", "[baresip]") {
    CallTracker tracker;
    tracker.begin_dial("a", "5550100");
    auto reports = tracker.on_event(outgoing("CALL_CLOSED", "id-a", "404 Not Found\n"));
    CHECK(single_end(reports) == EndReason::failed);
    CHECK(reports[0].detail == "404 Not Found");

    tracker.on_event(incoming("CALL_INCOMING"));
    reports = tracker.on_event(incoming("CALL_CLOSED", "Connection reset by peer"));
    CHECK(single_end(reports) == EndReason::missed);
    CHECK(reports[0].detail.empty());  // the caller gave up: that is all "missed" means

    SECTION("nothing to say after a talk, or when the agent ended it") {
        tracker.begin_dial("b", "5550101");
        tracker.on_event(outgoing("CALL_ESTABLISHED", "id-b"));
        CHECK(tracker.on_event(outgoing("CALL_CLOSED", "id-b", "Connection reset by peer"))[0].detail.empty());
        tracker.begin_dial("c", "5550102");
        tracker.on_event(outgoing("CALL_RINGING", "id-c"));
        tracker.agent_ends("c");
        CHECK(tracker.on_event(outgoing("CALL_CLOSED", "id-c", "Connection reset by user"))[0].detail.empty());
    }
    SECTION("an unprintable reason is cleaned") {
        tracker.begin_dial("d", "5550103");
        tracker.on_event(outgoing("CALL_RINGING", "id-d"));
        CHECK(tracker.on_event(outgoing("CALL_CLOSED", "id-d", "503 Service\x1b[31m Unavailable"))[0].detail ==
              "503 Service [31m Unavailable");
    }
}

TEST_CASE("baresip tracker: two dials are bound oldest first", "[baresip]") {
    CallTracker tracker;
    tracker.begin_dial("a", "1");
    tracker.begin_dial("b", "2");
    CHECK(tracker.on_event(outgoing("CALL_RINGING", "id-a")).empty());
    CHECK(tracker.on_event(outgoing("CALL_PROGRESS", "id-b")).empty());
    CHECK(tracker.on_event(outgoing("CALL_ESTABLISHED", "id-b"))[0].ref == "b");
    CHECK(tracker.on_event(outgoing("CALL_CLOSED", "id-a", "486 Busy Here"))[0].ref == "a");
}

TEST_CASE("baresip tracker: a failed dial command ends the call as failed, saying why", "[baresip]") {
    CallTracker tracker;
    tracker.begin_dial("a", "1");
    const auto reports = tracker.dial_failed("a", "baresip refused 'dial': invalid uri sip:+14155550123@");
    CHECK(single_end(reports) == EndReason::failed);
    CHECK(reports[0].detail == "baresip refused 'dial': invalid uri sip:+*******0123@");
    CHECK_FALSE(tracker.has("a"));
    // An outgoing event that binds nothing is ignored.
    CHECK(tracker.on_event(outgoing("CALL_RINGING", "id-x")).empty());
}

TEST_CASE("baresip tracker: hold and resume are reported once each", "[baresip]") {
    CallTracker tracker;
    tracker.on_event(incoming("CALL_INCOMING"));
    tracker.on_event(incoming("CALL_ESTABLISHED"));
    const std::string ref = "1-13692@127.0.0.1";
    CHECK(tracker.held(ref).size() == 1);
    CHECK(tracker.held(ref).empty());
    CHECK(tracker.resumed(ref).size() == 1);
    CHECK(tracker.resumed(ref).empty());
}

ListedCall listed(const std::string& state, bool on_hold, const std::string& peer_uri) {
    return {1, true, state, on_hold, peer_uri};
}

TEST_CASE("baresip tracker: a call found after connecting is adopted", "[baresip]") {
    CallTracker tracker;
    tracker.set_account(account);
    SECTION("a ringing inbound call pops with the caller's number and name") {
        auto reports = tracker.adopt({"INCOMING", "Alice Caller <sip:5551234@127.0.0.1:5070>", "id-1", true}, listed("INCOMING", false, "sip:5551234@127.0.0.1:5070"));
        REQUIRE(reports.size() == 1);
        CHECK(reports[0].kind == Kind::offered);
        CHECK(reports[0].from == cti::Party{"5551234", "Alice Caller"});
        // Its later events are followed.
        CHECK(single_end(tracker.on_event([] { auto e = incoming("CALL_CLOSED"); e.id = "id-1"; return e; }())) == EndReason::missed);
    }
    SECTION("an established call on hold") {
        auto reports = tracker.adopt({"ESTABLISHED", "<sip:5559999@127.0.0.1:5070>", "id-2", false}, listed("ESTABLISHED", true, "sip:5559999@127.0.0.1:5070"));
        REQUIRE(reports.size() == 3);
        CHECK(reports[0].kind == Kind::dialing);
        CHECK(reports[0].to.number == "5559999");
        CHECK(reports[1].kind == Kind::connected);
        CHECK(reports[2].kind == Kind::held);
    }
    SECTION("a call that is already terminating is not adopted") {
        CHECK(tracker.adopt({"TERMINATED", "<sip:1@h>", "id-3", true}, listed("TERMINATED", false, "sip:1@h")).empty());
    }
}

TEST_CASE("baresip tracker: holds baresip makes by itself are read back from listcalls", "[baresip]") {
    CallTracker tracker;
    tracker.set_account(account);
    auto first = incoming("CALL_INCOMING");
    tracker.on_event(first);
    first.type = "CALL_ESTABLISHED";
    tracker.on_event(first);
    auto second = incoming("CALL_INCOMING");
    second.id = "2-1@127.0.0.1";
    second.peer_uri = "sip:5552222@127.0.0.1:5071";
    tracker.on_event(second);
    second.type = "CALL_ESTABLISHED";
    tracker.on_event(second);
    const std::string first_ref = first.id, second_ref = second.id;
    CHECK(tracker.other_active_calls(second_ref) == std::vector<std::string>{first_ref});

    auto sdp = first;
    sdp.type = "CALL_REMOTE_SDP";
    sdp.event_class = "other";
    CHECK(tracker.hold_check_needed(sdp));
    // baresip answered the second call and held the first.
    auto reports = tracker.reconcile_holds({listed("ESTABLISHED", true, first.peer_uri), listed("ESTABLISHED", false, second.peer_uri)});
    REQUIRE(reports.size() == 1);
    CHECK(reports[0].kind == Kind::held);
    CHECK(reports[0].ref == first_ref);
    CHECK(tracker.other_active_calls(second_ref).empty());
    CHECK(tracker.reconcile_holds({listed("ESTABLISHED", true, first.peer_uri)}).empty());
    // The second call ended; baresip resumed the first.
    reports = tracker.reconcile_holds({listed("ESTABLISHED", false, first.peer_uri)});
    REQUIRE(reports.size() == 1);
    CHECK(reports[0].kind == Kind::resumed);
    // An event about a ringing call or a call nobody knows needs no check.
    sdp.id = "unknown";
    CHECK_FALSE(tracker.hold_check_needed(sdp));
}

TEST_CASE("baresip tracker: the number is the URI's user part", "[baresip]") {
    CHECK(number_of("sip:5551234@127.0.0.1:5070") == "5551234");
    CHECK(number_of("sip:%2B4420@example.com") == "+4420");
    CHECK(number_of("sip:example.com").empty());
    CHECK(number_of("not a uri").empty());
}
