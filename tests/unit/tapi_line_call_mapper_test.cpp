// LINECALLSTATE / LINEDISCONNECTMODE -> call report mapping of the tapi driver.
#include <catch2/catch.hpp>

#include "tapi/line_call_mapper.hpp"

using namespace cti;
using namespace cti::tapi;

namespace {

LineCallStateChange change(LineCallState state, std::uint32_t mode = 0,
                           CallOrigin origin = CallOrigin::inbound) {
    LineCallStateChange out;
    out.call = "c1";
    out.state = state;
    out.mode = mode;
    out.origin = origin;
    out.caller = {"5551234", "Alice"};
    out.called = {"1001", "Agent"};
    return out;
}

LineCallStateChange disconnected(DisconnectMode mode) {
    return change(LineCallState::disconnected, value_of(mode));
}

CallReport::Kind kind_of(const MapResult& result) {
    REQUIRE(result.problem.empty());
    REQUIRE(result.report);
    return result.report->kind;
}

void require_nothing(const MapResult& result) {
    CHECK(result.problem.empty());
    CHECK_FALSE(result.report);
}

void require_skipped(const MapResult& result) {
    CHECK_FALSE(result.report);
    CHECK_FALSE(result.problem.empty());
}

// A mapper that holds call c1 inbound and connected.
LineCallMapper connected_inbound() {
    LineCallMapper mapper;
    mapper.apply(change(LineCallState::offering));
    mapper.apply(change(LineCallState::connected));
    return mapper;
}

}  // namespace

TEST_CASE("tapi mapper: the first state of a call decides whether it is offered or dialing",
          "[tapi]") {
    SECTION("OFFERING from outside is an inbound call with caller and called party") {
        LineCallMapper mapper;
        auto result = mapper.apply(change(LineCallState::offering));
        REQUIRE(kind_of(result) == CallReport::Kind::offered);
        CHECK(result.report->ref == "c1");
        CHECK(result.report->direction == Direction::inbound);
        CHECK(result.report->from == Party{"5551234", "Alice"});
        CHECK(result.report->to == Party{"1001", "Agent"});
    }
    SECTION("OFFERING with origin INTERNAL is an internal call") {
        LineCallMapper mapper;
        auto result = mapper.apply(change(LineCallState::offering, 0, CallOrigin::internal));
        CHECK(result.report->direction == Direction::internal);
    }
    SECTION("OFFERING with origin EXTERNAL or UNKNOWN is inbound") {
        for (auto origin : {CallOrigin::external, CallOrigin::unknown, CallOrigin::unavail}) {
            LineCallMapper mapper;
            CHECK(mapper.apply(change(LineCallState::offering, 0, origin)).report->direction ==
                  Direction::inbound);
        }
    }
    SECTION("OFFERING with origin OUTBOUND is skipped") {
        LineCallMapper mapper;
        require_skipped(mapper.apply(change(LineCallState::offering, 0, CallOrigin::outbound)));
        CHECK(mapper.size() == 0);
    }
    SECTION("DIALTONE, DIALING and PROCEEDING start an outbound call") {
        for (auto state :
             {LineCallState::dialtone, LineCallState::dialing, LineCallState::proceeding}) {
            LineCallMapper mapper;
            auto result = mapper.apply(change(state, 0, CallOrigin::outbound));
            REQUIRE(kind_of(result) == CallReport::Kind::dialing);
            CHECK(result.report->direction == Direction::outbound);
            CHECK(result.report->to == Party{"1001", "Agent"});
        }
    }
    SECTION("IDLE and UNKNOWN for an unknown call say nothing") {
        LineCallMapper mapper;
        require_nothing(mapper.apply(change(LineCallState::idle)));
        require_nothing(mapper.apply(change(LineCallState::unknown)));
        CHECK(mapper.size() == 0);
    }
    SECTION("every other state cannot start a call") {
        for (auto state :
             {LineCallState::accepted, LineCallState::ringback, LineCallState::busy,
              LineCallState::specialinfo, LineCallState::connected, LineCallState::onhold,
              LineCallState::conferenced, LineCallState::onholdpendconf,
              LineCallState::onholdpendtransfer, LineCallState::disconnected}) {
            INFO(to_string(state));
            LineCallMapper mapper;
            require_skipped(mapper.apply(change(state)));
            CHECK(mapper.size() == 0);
        }
    }
    SECTION("an empty call handle is skipped") {
        LineCallMapper mapper;
        auto bad = change(LineCallState::offering);
        bad.call.clear();
        require_skipped(mapper.apply(bad));
    }
}

TEST_CASE("tapi mapper: an inbound call through answer, hold, resume, transfer states and hangup",
          "[tapi]") {
    LineCallMapper mapper;
    CHECK(kind_of(mapper.apply(change(LineCallState::offering))) == CallReport::Kind::offered);
    require_nothing(mapper.apply(change(LineCallState::accepted)));
    require_nothing(mapper.apply(change(LineCallState::offering)));  // a repeat
    CHECK(kind_of(mapper.apply(change(LineCallState::connected))) == CallReport::Kind::connected);
    require_nothing(mapper.apply(change(LineCallState::connected)));
    CHECK(kind_of(mapper.apply(change(LineCallState::onhold))) == CallReport::Kind::held);
    require_nothing(mapper.apply(change(LineCallState::onhold)));
    require_nothing(mapper.apply(change(LineCallState::onholdpendtransfer)));  // still held
    CHECK(kind_of(mapper.apply(change(LineCallState::connected))) == CallReport::Kind::resumed);
    CHECK(kind_of(mapper.apply(change(LineCallState::onholdpendconf))) == CallReport::Kind::held);
    CHECK(kind_of(mapper.apply(change(LineCallState::conferenced))) == CallReport::Kind::resumed);
    require_nothing(mapper.apply(change(LineCallState::connected)));  // CONFERENCED -> CONNECTED
    require_nothing(mapper.apply(change(LineCallState::unknown)));
    auto ended = mapper.apply(disconnected(DisconnectMode::normal));
    REQUIRE(kind_of(ended) == CallReport::Kind::ended);
    CHECK(ended.report->reason == EndReason::normal);
    CHECK(mapper.knows("c1"));
    require_nothing(mapper.apply(change(LineCallState::idle)));
    CHECK_FALSE(mapper.knows("c1"));
}

TEST_CASE("tapi mapper: an outbound call goes dialing, set-up states, connected, ended", "[tapi]") {
    LineCallMapper mapper;
    CHECK(kind_of(mapper.apply(change(LineCallState::dialtone, 0, CallOrigin::outbound))) ==
          CallReport::Kind::dialing);
    for (auto state : {LineCallState::dialing, LineCallState::proceeding, LineCallState::ringback})
        require_nothing(mapper.apply(change(state)));
    CHECK(kind_of(mapper.apply(change(LineCallState::connected))) == CallReport::Kind::connected);
    CHECK(mapper.apply(disconnected(DisconnectMode::normal)).report->reason == EndReason::normal);
}

TEST_CASE("tapi mapper: busy and special info before the disconnect", "[tapi]") {
    SECTION("BUSY then DISCONNECTED mode BUSY ends busy") {
        LineCallMapper mapper;
        mapper.apply(change(LineCallState::dialing, 0, CallOrigin::outbound));
        require_nothing(mapper.apply(change(LineCallState::busy)));
        CHECK(mapper.apply(disconnected(DisconnectMode::busy)).report->reason == EndReason::busy);
    }
    SECTION("BUSY then a disconnect that does not say why still ends busy") {
        for (auto mode :
             {DisconnectMode::normal, DisconnectMode::unknown, DisconnectMode::unavail}) {
            LineCallMapper mapper;
            mapper.apply(change(LineCallState::dialing, 0, CallOrigin::outbound));
            mapper.apply(change(LineCallState::busy));
            CHECK(mapper.apply(disconnected(mode)).report->reason == EndReason::busy);
        }
    }
    SECTION("SPECIALINFO then DISCONNECTED mode UNREACHABLE fails") {
        LineCallMapper mapper;
        mapper.apply(change(LineCallState::dialing, 0, CallOrigin::outbound));
        require_nothing(mapper.apply(change(LineCallState::specialinfo)));
        CHECK(mapper.apply(disconnected(DisconnectMode::unreachable)).report->reason ==
              EndReason::failed);
    }
}

TEST_CASE("tapi mapper: IDLE without DISCONNECTED ends the call", "[tapi]") {
    SECTION("a ringing inbound call is missed") {
        LineCallMapper mapper;
        mapper.apply(change(LineCallState::offering));
        auto result = mapper.apply(change(LineCallState::idle));
        REQUIRE(kind_of(result) == CallReport::Kind::ended);
        CHECK(result.report->reason == EndReason::missed);
        CHECK(mapper.size() == 0);
    }
    SECTION("a connected call ends normal") {
        auto mapper = connected_inbound();
        CHECK(mapper.apply(change(LineCallState::idle)).report->reason == EndReason::normal);
    }
    SECTION("a dialing call fails") {
        LineCallMapper mapper;
        mapper.apply(change(LineCallState::dialing, 0, CallOrigin::outbound));
        CHECK(mapper.apply(change(LineCallState::idle)).report->reason == EndReason::failed);
    }
}

TEST_CASE("tapi mapper: invalid transitions are skipped and leave the call as it was", "[tapi]") {
    SECTION("nothing but IDLE after DISCONNECTED") {
        for (auto state : {LineCallState::connected, LineCallState::onhold, LineCallState::offering,
                           LineCallState::dialing, LineCallState::disconnected}) {
            auto mapper = connected_inbound();
            mapper.apply(disconnected(DisconnectMode::normal));
            require_skipped(mapper.apply(change(state)));
            require_nothing(mapper.apply(change(LineCallState::idle)));
        }
    }
    SECTION("a ringing call cannot be held") {
        LineCallMapper mapper;
        mapper.apply(change(LineCallState::offering));
        require_skipped(mapper.apply(change(LineCallState::onhold)));
        CHECK(kind_of(mapper.apply(change(LineCallState::connected))) ==
              CallReport::Kind::connected);
    }
    SECTION("an offered call cannot dial, an outbound call cannot be offered") {
        LineCallMapper inbound;
        inbound.apply(change(LineCallState::offering));
        for (auto state : {LineCallState::dialtone, LineCallState::dialing, LineCallState::ringback,
                           LineCallState::proceeding, LineCallState::busy})
            require_skipped(inbound.apply(change(state)));
        LineCallMapper outbound;
        outbound.apply(change(LineCallState::dialing, 0, CallOrigin::outbound));
        for (auto state : {LineCallState::offering, LineCallState::accepted})
            require_skipped(outbound.apply(change(state)));
    }
    SECTION("an answered call cannot go back to set-up") {
        for (auto state : {LineCallState::offering, LineCallState::accepted, LineCallState::dialing,
                           LineCallState::ringback, LineCallState::busy}) {
            auto mapper = connected_inbound();
            require_skipped(mapper.apply(change(state)));
            CHECK(kind_of(mapper.apply(change(LineCallState::onhold))) == CallReport::Kind::held);
        }
    }
    SECTION("the problem names the call and the state") {
        auto mapper = connected_inbound();
        auto result = mapper.apply(change(LineCallState::offering));
        CHECK_THAT(result.problem,
                   Catch::Contains("c1") && Catch::Contains("LINECALLSTATE_OFFERING"));
    }
}

TEST_CASE("tapi mapper: every LINEDISCONNECTMODE gives its end reason", "[tapi]") {
    struct Row {
        DisconnectMode mode;
        EndReason inbound_ringing;
        EndReason outbound_dialing;
    };
    // A call that was connected always ends normal; before that the mode decides.
    const Row table[] = {
        {DisconnectMode::normal, EndReason::missed, EndReason::normal},
        {DisconnectMode::unknown, EndReason::missed, EndReason::failed},
        {DisconnectMode::reject, EndReason::rejected, EndReason::rejected},
        {DisconnectMode::pickup, EndReason::answered_elsewhere, EndReason::failed},
        {DisconnectMode::forwarded, EndReason::missed, EndReason::normal},
        {DisconnectMode::busy, EndReason::busy, EndReason::busy},
        {DisconnectMode::noanswer, EndReason::missed, EndReason::failed},
        {DisconnectMode::badaddress, EndReason::missed, EndReason::failed},
        {DisconnectMode::unreachable, EndReason::missed, EndReason::failed},
        {DisconnectMode::congestion, EndReason::missed, EndReason::failed},
        {DisconnectMode::incompatible, EndReason::missed, EndReason::failed},
        {DisconnectMode::unavail, EndReason::missed, EndReason::failed},
        {DisconnectMode::nodialtone, EndReason::missed, EndReason::failed},
        {DisconnectMode::numberchanged, EndReason::missed, EndReason::failed},
        {DisconnectMode::outoforder, EndReason::missed, EndReason::failed},
        {DisconnectMode::tempfailure, EndReason::missed, EndReason::failed},
        {DisconnectMode::qosunavail, EndReason::missed, EndReason::failed},
        {DisconnectMode::blocked, EndReason::rejected, EndReason::rejected},
        {DisconnectMode::donotdisturb, EndReason::rejected, EndReason::rejected},
        {DisconnectMode::cancelled, EndReason::missed, EndReason::normal},
    };
    REQUIRE(std::size(table) == std::size(all_disconnect_modes));
    for (const auto& row : table) {
        INFO(to_string(row.mode));
        CHECK(end_reason_for(value_of(row.mode), Direction::inbound, false) == row.inbound_ringing);
        CHECK(end_reason_for(value_of(row.mode), Direction::internal, false) ==
              row.inbound_ringing);
        CHECK(end_reason_for(value_of(row.mode), Direction::outbound, false) ==
              row.outbound_dialing);
        CHECK(end_reason_for(value_of(row.mode), Direction::inbound, true) == EndReason::normal);
        CHECK(end_reason_for(value_of(row.mode), Direction::outbound, true) == EndReason::normal);

        // And through the mapper, from the call's real states.
        LineCallMapper ringing;
        ringing.apply(change(LineCallState::offering));
        CHECK(ringing.apply(disconnected(row.mode)).report->reason == row.inbound_ringing);
        LineCallMapper dialing;
        dialing.apply(change(LineCallState::dialing, 0, CallOrigin::outbound));
        CHECK(dialing.apply(disconnected(row.mode)).report->reason == row.outbound_dialing);
        auto held = connected_inbound();
        held.apply(change(LineCallState::onhold));
        CHECK(held.apply(disconnected(row.mode)).report->reason == EndReason::normal);
    }
    SECTION("a mode that is no LINEDISCONNECTMODE value counts as UNKNOWN") {
        CHECK(end_reason_for(0, Direction::inbound, false) == EndReason::missed);
        CHECK(end_reason_for(0x3, Direction::outbound, false) == EndReason::failed);
        CHECK(end_reason_for(0x80000000u, Direction::outbound, true) == EndReason::normal);
    }
}

TEST_CASE("tapi mapper: clear() forgets every call", "[tapi]") {
    auto mapper = connected_inbound();
    mapper.clear();
    CHECK(mapper.size() == 0);
    require_skipped(mapper.apply(change(LineCallState::connected)));
}
