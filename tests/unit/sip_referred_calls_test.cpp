#include <catch2/catch.hpp>

#include "sip/referred_calls.hpp"

using namespace cti;
using namespace cti::sip;
using Action = ReferredCalls::Route::Action;
using std::chrono::milliseconds;

namespace {

const auto t0 = ReferredCalls::Clock::time_point{} + std::chrono::hours(1);

CallReport dialog_report(CallReport::Kind kind, const std::string& ref, const std::string& number = "5550101",
                         Direction direction = Direction::outbound) {
    CallReport report;
    report.kind = kind;
    report.ref = ref;
    report.direction = direction;
    report.from = {"1001", ""};
    report.to = {number, ""};
    return report;
}

}  // namespace

TEST_CASE("referred calls: the phone's new dialog to the dialled number is the click-to-dial call", "[sip]") {
    ReferredCalls referred(milliseconds(32000));
    referred.expect("c2d-1", "5550101", t0);
    auto bound = referred.route(dialog_report(CallReport::Kind::dialing, "phone-call"), t0 + milliseconds(300));
    CHECK(bound.action == Action::drop);  // no second call
    CHECK(bound.dial_ref == "c2d-1");
    CHECK(referred.bound_dialog("c2d-1") == "phone-call");

    auto connected = referred.route(dialog_report(CallReport::Kind::connected, "phone-call"), t0 + milliseconds(900));
    CHECK(connected.action == Action::connected);
    CHECK(connected.dial_ref == "c2d-1");

    auto ended = referred.route(dialog_report(CallReport::Kind::ended, "phone-call"), t0 + milliseconds(60000));
    CHECK(ended.action == Action::ended);  // long after the window: a bound dialog stays bound
    CHECK(ended.dial_ref == "c2d-1");
    CHECK_FALSE(referred.bound_dialog("c2d-1"));
    // Its end is reported once; what comes after is somebody else's.
    CHECK(referred.route(dialog_report(CallReport::Kind::ended, "phone-call"), t0).action == Action::pass);
}

TEST_CASE("referred calls: a dialog to another number, an inbound one, or nothing expected stays its own call", "[sip]") {
    ReferredCalls referred(milliseconds(32000));
    CHECK(referred.route(dialog_report(CallReport::Kind::dialing, "a"), t0).action == Action::pass);
    referred.expect("c2d-1", "5550101", t0);
    CHECK(referred.route(dialog_report(CallReport::Kind::dialing, "b", "5550199"), t0).action == Action::pass);
    CHECK(referred.route(dialog_report(CallReport::Kind::offered, "c", "5550101", Direction::inbound), t0).action ==
          Action::pass);
    CHECK(referred.route(dialog_report(CallReport::Kind::connected, "b", "5550199"), t0).action == Action::pass);
    CHECK_FALSE(referred.bound_dialog("c2d-1"));
    // The dialled number written differently by the PBX is still the same number.
    CHECK(referred.route(dialog_report(CallReport::Kind::dialing, "d", "555-0101"), t0).action == Action::drop);
    // Only the first one: a second dialog to the number is a call of its own.
    CHECK(referred.route(dialog_report(CallReport::Kind::dialing, "e"), t0).action == Action::pass);
    CHECK(referred.bound_dialog("c2d-1") == "d");
}

TEST_CASE("referred calls: once the wait is over, a call to the same number is not swallowed", "[sip]") {
    ReferredCalls referred(milliseconds(32000));
    referred.expect("c2d-1", "5550101", t0);
    CHECK(referred.route(dialog_report(CallReport::Kind::dialing, "later"), t0 + milliseconds(32000)).action ==
          Action::pass);
    CHECK_FALSE(referred.bound_dialog("c2d-1"));
    referred.expect("c2d-2", "5550101", t0);
    CHECK(referred.route(dialog_report(CallReport::Kind::dialing, "soon"), t0 + milliseconds(31999)).action ==
          Action::drop);
}

TEST_CASE("referred calls: a click-to-dial call that is over takes its dialog's reports with it", "[sip]") {
    ReferredCalls referred(milliseconds(32000));
    referred.expect("c2d-1", "5550101", t0);
    referred.expect("c2d-2", "5550102", t0);
    referred.forget("c2d-2");  // ended before the phone called: nothing waits any more
    CHECK(referred.route(dialog_report(CallReport::Kind::dialing, "x", "5550102"), t0).action == Action::pass);

    REQUIRE(referred.route(dialog_report(CallReport::Kind::dialing, "y"), t0).action == Action::drop);
    referred.forget("c2d-1");  // e.g. the far end was busy, told by the REFER's NOTIFY
    CHECK_FALSE(referred.bound_dialog("c2d-1"));
    CHECK(referred.route(dialog_report(CallReport::Kind::connected, "y"), t0).action == Action::drop);
    CHECK(referred.route(dialog_report(CallReport::Kind::ended, "y"), t0).action == Action::drop);
    CHECK(referred.route(dialog_report(CallReport::Kind::dialing, "z"), t0).action == Action::pass);
}

TEST_CASE("referred calls: two click-to-dial calls to one number bind in the order they referred", "[sip]") {
    ReferredCalls referred(milliseconds(32000));
    referred.expect("c2d-b", "5550101", t0);
    referred.expect("c2d-a", "5550101", t0 + milliseconds(10));
    CHECK(referred.route(dialog_report(CallReport::Kind::dialing, "first"), t0).dial_ref == "c2d-b");
    CHECK(referred.route(dialog_report(CallReport::Kind::dialing, "second"), t0).dial_ref == "c2d-a");
    referred.clear();
    CHECK(referred.route(dialog_report(CallReport::Kind::ended, "first"), t0).action == Action::pass);
}

TEST_CASE("referred calls: hang up is refused, plainly, once the phone's own call is bound", "[sip]") {
    ReferredCalls referred(milliseconds(32000));
    referred.expect("c2d-1", "5550101", t0);
    CHECK_FALSE(referred.hang_up_refusal("c2d-1"));  // the control leg still is the call
    referred.route(dialog_report(CallReport::Kind::dialing, "phone-call"), t0);
    const auto refusal = referred.hang_up_refusal("c2d-1");
    REQUIRE(refusal);
    CHECK_THAT(*refusal, Catch::StartsWith("hang up on your phone"));
    referred.route(dialog_report(CallReport::Kind::ended, "phone-call"), t0);
    CHECK_FALSE(referred.hang_up_refusal("c2d-1"));
    CHECK_FALSE(referred.hang_up_refusal("unknown"));
}
