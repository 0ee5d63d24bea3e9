// The same cases against every driver and its real peer (see peer.hpp). A section per peer, so a
// failure names the driver.
#include <catch2/catch.hpp>

#include "conformance/peer.hpp"
#include "conformance/rig.hpp"

using namespace cti::test;
using nlohmann::json;

namespace {

template <typename Case>
void for_each_peer(Case run_case) {
    REQUIRE_FALSE(peer_registry().empty());
    for (const auto& registration : peer_registry()) {
        SECTION(registration.name) {
            Rig rig(registration.create());
            run_case(rig);
        }
    }
}

}  // namespace

TEST_CASE("conformance: an inbound call pops with the caller's number and name and can be answered", "[conformance]") {
    for_each_peer([](Rig& rig) {
        const bool answers = rig.peer->supports(cti::Capability::answer);
        rig.peer->call_in("5551234", "Alice Caller", answers ? Caller::hangs_up_after_answer : Caller::gives_up);
        auto ringing = rig.event("call.ringing");
        CHECK(ringing["call"]["direction"] == "inbound");
        auto pop = rig.event("screen_pop");
        CHECK(pop["caller"]["number"] == "5551234");
        if (rig.peer->names_callers()) CHECK(pop["caller"]["name"] == "Alice Caller");
        CHECK(pop["call_type"] == "inbound");
        const auto id = pop["call_id"];
        if (!answers) {
            CHECK(rig.page->command({{"type", "answer"}, {"call_id", id}})["error"]["code"] == "unsupported");
            return;
        }
        rig.ok({{"type", "answer"}, {"call_id", id}});
        CHECK(rig.event("call.connected")["call"]["id"] == id);
        auto ended = rig.event("call.ended");  // the caller hangs up
        CHECK(ended["call"]["id"] == id);
        CHECK(ended["reason"] == "normal");
    });
}

TEST_CASE("conformance: a caller who gives up while it rings is a missed call", "[conformance]") {
    for_each_peer([](Rig& rig) {
        rig.peer->call_in("5550003", "Abandoner", Caller::gives_up);
        const auto id = rig.event("screen_pop")["call_id"];
        auto ended = rig.event("call.ended");
        CHECK(ended["call"]["id"] == id);
        CHECK(ended["reason"] == "missed");
    });
}

TEST_CASE("conformance: decline ends a ringing call as rejected", "[conformance]") {
    for_each_peer([](Rig& rig) {
        if (!rig.peer->supports(cti::Capability::decline)) {
            SUCCEED("this driver cannot decline");
            return;
        }
        rig.peer->call_in("5550004", "Declined", Caller::waits);
        const auto id = rig.event("screen_pop")["call_id"];
        rig.ok({{"type", "decline"}, {"call_id", id}});
        auto ended = rig.event("call.ended");
        CHECK(ended["call"]["id"] == id);
        CHECK(ended["reason"] == "rejected");
    });
}

TEST_CASE("conformance: an outbound dial goes dialing then connected then ends when the agent hangs up", "[conformance]") {
    for_each_peer([](Rig& rig) {
        if (!rig.peer->supports(cti::Capability::dial)) {
            SUCCEED("this driver cannot dial");
            return;
        }
        const auto number = rig.peer->answering_number();
        const auto id = rig.ok({{"type", "dial"}, {"to", number}})["call_id"];
        auto dialing = rig.event("call.dialing");
        CHECK(dialing["call"]["id"] == id);
        CHECK(dialing["call"]["direction"] == "outbound");
        CHECK(dialing["call"]["to"]["number"] == number);
        CHECK(rig.event("call.connected")["call"]["id"] == id);
        rig.ok({{"type", "hangup"}, {"call_id", id}});
        auto ended = rig.event("call.ended");
        CHECK(ended["call"]["id"] == id);
        CHECK(ended["reason"] == "normal");
    });
}

TEST_CASE("conformance: dialling a busy number ends busy", "[conformance]") {
    for_each_peer([](Rig& rig) {
        if (!rig.peer->supports(cti::Capability::dial)) {
            SUCCEED("this driver cannot dial");
            return;
        }
        const auto id = rig.ok({{"type", "dial"}, {"to", rig.peer->busy_number()}})["call_id"];
        auto ended = rig.event("call.ended");
        CHECK(ended["call"]["id"] == id);
        CHECK(ended["reason"] == "busy");
        // ... and says so in the phone system's words, for the agent and the call log.
        CHECK_THAT(ended.value("detail", ""), Catch::Contains(rig.peer->busy_detail()));
        CHECK(ended["call"]["end_detail"] == ended["detail"]);
    });
}

TEST_CASE("conformance: when the phone system dies calls end driver_lost, and it reconnects when the phone system is back", "[conformance]") {
    for_each_peer([](Rig& rig) {
        if (!rig.peer->can_restart()) {
            SUCCEED("this phone system cannot be restarted");
            return;
        }
        rig.peer->call_in("5550005", "Lost", Caller::waits);
        const auto id = rig.event("screen_pop")["call_id"];
        rig.peer->kill();
        auto ended = rig.event("call.ended");
        CHECK(ended["call"]["id"] == id);
        CHECK(ended["reason"] == "driver_lost");
        rig.wait_for_driver("disconnected");
        rig.peer->restart();
        rig.wait_for_driver("connected");
        rig.peer->call_in("5550006", "Back Again", Caller::gives_up);
        CHECK(rig.event("screen_pop")["caller"]["number"] == "5550006");
    });
}
