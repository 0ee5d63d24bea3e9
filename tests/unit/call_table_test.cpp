// The call state machine (docs/PROTOCOL.md, section 3.2) as enforced by cti::CallTable.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "core/call_table.hpp"

using namespace std::chrono_literals;
using cti::Call;
using cti::CallChange;
using cti::CallReport;
using cti::CallState;
using cti::CallTable;
using cti::Direction;
using cti::EndReason;
using cti::RejectedReport;
using cti::TimePoint;
using Kind = CallReport::Kind;

namespace {

const TimePoint t0 = TimePoint{} + std::chrono::hours(24 * 365 * 56);  // a time in December 2025
const TimePoint t1 = t0 + 1s;
const TimePoint t2 = t0 + 2s;
const TimePoint t3 = t0 + 3s;
const TimePoint t4 = t0 + 4s;

CallReport report(Kind kind, std::string ref) {
    CallReport r;
    r.kind = kind;
    r.ref = std::move(ref);
    return r;
}

CallReport offered(std::string ref, Direction direction = Direction::inbound) {
    auto r = report(Kind::offered, std::move(ref));
    r.direction = direction;
    r.from = {"+14155550123", "Ada Lovelace"};
    r.to = {"1001", "Agent"};
    return r;
}

CallReport dialing(std::string ref) {
    auto r = report(Kind::dialing, std::move(ref));
    r.from = {"1001", "Agent"};
    r.to = {"+442071234567", ""};
    return r;
}

CallReport ended(std::string ref, EndReason reason) {
    auto r = report(Kind::ended, std::move(ref));
    r.reason = reason;
    return r;
}

// The accepted change, failing the test when the report was rejected.
CallChange accepted(std::variant<CallChange, RejectedReport> result) {
    if (const auto* rejected = std::get_if<RejectedReport>(&result))
        FAIL("report unexpectedly rejected: " << rejected->reason);
    return std::get<CallChange>(std::move(result));
}

// The rejection reason, failing the test when the report was accepted.
std::string rejected(std::variant<CallChange, RejectedReport> result) {
    if (const auto* change = std::get_if<CallChange>(&result))
        FAIL("report unexpectedly accepted for call " << change->call.id << " (state "
                                                      << std::string(to_string(change->call.state))
                                                      << ")");
    return std::get<RejectedReport>(std::move(result)).reason;
}

bool starts_with(const std::string& text, const std::string& prefix) {
    return text.rfind(prefix, 0) == 0;
}

}  // namespace

TEST_CASE("call table: offered creates a ringing inbound call with a new id", "[call_table]") {
    CallTable table("5f3c9a0e", "simulator");
    const auto change = accepted(table.apply(offered("sip-call-1"), t0));

    CHECK(change.kind == Kind::offered);
    const Call& call = change.call;
    CHECK(call.id == "5f3c9a0e-1");
    CHECK(call.id != "sip-call-1");
    CHECK(call.direction == Direction::inbound);
    CHECK(call.state == CallState::ringing);
    CHECK(call.from == cti::Party{"+14155550123", "Ada Lovelace"});
    CHECK(call.to == cti::Party{"1001", "Agent"});
    CHECK(call.started_at == t0);
    CHECK_FALSE(call.answered_at.has_value());
    CHECK_FALSE(call.ended_at.has_value());
    CHECK_FALSE(call.end_reason.has_value());
    CHECK(call.driver == "simulator");

    CHECK(table.size() == 1);
    REQUIRE(table.find(call.id) != nullptr);
    CHECK(table.find(call.id)->state == CallState::ringing);
    REQUIRE(table.ref_of(call.id) != nullptr);
    CHECK(*table.ref_of(call.id) == "sip-call-1");
    CHECK(table.has_seen_ref("sip-call-1"));
}

TEST_CASE("call table: offered keeps an internal direction", "[call_table]") {
    CallTable table("p", "simulator");
    const auto change = accepted(table.apply(offered("r", Direction::internal), t0));
    CHECK(change.call.direction == Direction::internal);
    CHECK(change.call.state == CallState::ringing);
}

TEST_CASE("call table: dialing creates a dialing outbound call", "[call_table]") {
    CallTable table("p", "simulator");
    auto r = dialing("phone-side-1");
    r.direction = Direction::inbound;  // ignored: a dialing call is always outbound
    const auto change = accepted(table.apply(r, t1));

    CHECK(change.kind == Kind::dialing);
    CHECK(change.call.id == "p-1");
    CHECK(change.call.direction == Direction::outbound);
    CHECK(change.call.state == CallState::dialing);
    CHECK(change.call.to == cti::Party{"+442071234567", ""});
    CHECK(change.call.started_at == t1);
    CHECK_FALSE(change.call.answered_at.has_value());
    CHECK(table.size() == 1);
}

TEST_CASE("call table: a reserved id is kept by the dialing report that uses it as ref",
          "[call_table]") {
    CallTable table("p", "simulator");
    const auto id = table.reserve_id();
    CHECK(id == "p-1");
    // Nothing exists until the driver reports the call.
    CHECK(table.size() == 0);
    CHECK(table.find(id) == nullptr);

    const auto change = accepted(table.apply(dialing(id), t0));
    CHECK(change.call.id == id);
    REQUIRE(table.ref_of(id) != nullptr);
    CHECK(*table.ref_of(id) == id);

    SECTION("the next id is a fresh one") {
        const auto next = accepted(table.apply(offered("other"), t1));
        CHECK(next.call.id == "p-2");
    }
    SECTION("a reservation is used once only") {
        // A second call under the same ref is a duplicate.
        CHECK_THAT(rejected(table.apply(dialing(id), t1)), Catch::Contains("twice"));
    }
}

TEST_CASE("call table: a reserved id is not handed out again", "[call_table]") {
    CallTable table("p", "simulator");
    const auto a = table.reserve_id();
    const auto b = table.reserve_id();
    CHECK(a != b);
    const auto c = accepted(table.apply(offered("x"), t0));
    CHECK(c.call.id != a);
    CHECK(c.call.id != b);
}

TEST_CASE("call table: release() forgets a reservation", "[call_table]") {
    CallTable table("p", "simulator");
    const auto id = table.reserve_id();
    table.release(id);
    // A report under the released ref is now an ordinary driver ref: it gets a new id.
    const auto change = accepted(table.apply(dialing(id), t0));
    CHECK(change.call.id != id);
    CHECK(change.call.id == "p-2");
    REQUIRE(table.ref_of(change.call.id) != nullptr);
    CHECK(*table.ref_of(change.call.id) == id);
    CHECK(table.find(id) == nullptr);
}

TEST_CASE("call table: connected from ringing or dialing sets answered_at", "[call_table]") {
    CallTable table("p", "simulator");

    SECTION("from ringing") {
        const auto start = accepted(table.apply(offered("in"), t0));
        const auto change = accepted(table.apply(report(Kind::connected, "in"), t2));
        CHECK(change.kind == Kind::connected);
        CHECK(change.call.id == start.call.id);
        CHECK(change.call.state == CallState::connected);
        REQUIRE(change.call.answered_at.has_value());
        CHECK(*change.call.answered_at == t2);
        CHECK(change.call.started_at == t0);
        CHECK(table.find(start.call.id)->state == CallState::connected);
    }
    SECTION("from dialing") {
        const auto start = accepted(table.apply(dialing("out"), t0));
        const auto change = accepted(table.apply(report(Kind::connected, "out"), t3));
        CHECK(change.call.state == CallState::connected);
        CHECK(change.call.direction == Direction::outbound);
        REQUIRE(change.call.answered_at.has_value());
        CHECK(*change.call.answered_at == t3);
    }
}

TEST_CASE("call table: connected is rejected once the call is connected or held",
          "[call_table]") {
    CallTable table("p", "simulator");
    accepted(table.apply(offered("in"), t0));
    accepted(table.apply(report(Kind::connected, "in"), t1));

    SECTION("connected twice") {
        CHECK_THAT(rejected(table.apply(report(Kind::connected, "in"), t2)),
                   Catch::Contains("while it is connected"));
        CHECK(*table.find("p-1")->answered_at == t1);  // unchanged
    }
    SECTION("connected while held") {
        accepted(table.apply(report(Kind::held, "in"), t2));
        CHECK_THAT(rejected(table.apply(report(Kind::connected, "in"), t3)),
                   Catch::Contains("while it is held"));
        CHECK(table.find("p-1")->state == CallState::held);
    }
}

TEST_CASE("call table: held only from connected", "[call_table]") {
    CallTable table("p", "simulator");

    SECTION("held while ringing is rejected") {
        accepted(table.apply(offered("in"), t0));
        const auto why = rejected(table.apply(report(Kind::held, "in"), t1));
        CHECK_THAT(why, Catch::Contains("held") && Catch::Contains("ringing"));
        CHECK(table.find("p-1")->state == CallState::ringing);
    }
    SECTION("held while dialing is rejected") {
        accepted(table.apply(dialing("out"), t0));
        CHECK_THAT(rejected(table.apply(report(Kind::held, "out"), t1)),
                   Catch::Contains("dialing"));
    }
    SECTION("held while connected is accepted") {
        accepted(table.apply(offered("in"), t0));
        accepted(table.apply(report(Kind::connected, "in"), t1));
        const auto change = accepted(table.apply(report(Kind::held, "in"), t2));
        CHECK(change.kind == Kind::held);
        CHECK(change.call.state == CallState::held);
        CHECK(*change.call.answered_at == t1);  // holding does not touch answered_at
    }
    SECTION("held while held is rejected") {
        accepted(table.apply(offered("in"), t0));
        accepted(table.apply(report(Kind::connected, "in"), t1));
        accepted(table.apply(report(Kind::held, "in"), t2));
        CHECK_THAT(rejected(table.apply(report(Kind::held, "in"), t3)),
                   Catch::Contains("while it is held"));
    }
}

TEST_CASE("call table: resumed only from held", "[call_table]") {
    CallTable table("p", "simulator");
    accepted(table.apply(offered("in"), t0));

    SECTION("resumed while ringing is rejected") {
        CHECK_THAT(rejected(table.apply(report(Kind::resumed, "in"), t1)),
                   Catch::Contains("resumed") && Catch::Contains("ringing"));
    }
    SECTION("resumed while connected is rejected") {
        accepted(table.apply(report(Kind::connected, "in"), t1));
        CHECK_THAT(rejected(table.apply(report(Kind::resumed, "in"), t2)),
                   Catch::Contains("while it is connected"));
    }
    SECTION("resumed while held goes back to connected, and can be held again") {
        accepted(table.apply(report(Kind::connected, "in"), t1));
        accepted(table.apply(report(Kind::held, "in"), t2));
        const auto change = accepted(table.apply(report(Kind::resumed, "in"), t3));
        CHECK(change.kind == Kind::resumed);
        CHECK(change.call.state == CallState::connected);
        CHECK(*change.call.answered_at == t1);
        CHECK(accepted(table.apply(report(Kind::held, "in"), t4)).call.state == CallState::held);
    }
}

TEST_CASE("call table: ended from any active state sets ended_at and end_reason",
          "[call_table]") {
    CallTable table("p", "simulator");

    auto check_ended = [&](const std::string& ref, CallState before, EndReason reason) {
        CAPTURE(ref, std::string(to_string(before)), std::string(to_string(reason)));
        const auto change = accepted(table.apply(ended(ref, reason), t4));
        CHECK(change.kind == Kind::ended);
        CHECK(change.call.state == CallState::ended);
        REQUIRE(change.call.ended_at.has_value());
        CHECK(*change.call.ended_at == t4);
        REQUIRE(change.call.end_reason.has_value());
        CHECK(*change.call.end_reason == reason);
        CHECK(table.find(change.call.id) == nullptr);
        CHECK(table.ref_of(change.call.id) == nullptr);
        const auto active = table.active();
        CHECK(std::none_of(active.begin(), active.end(),
                           [&](const Call& call) { return call.id == change.call.id; }));
        return change;
    };

    SECTION("ringing") {
        accepted(table.apply(offered("r"), t0));
        const auto change = check_ended("r", CallState::ringing, EndReason::missed);
        CHECK_FALSE(change.call.answered_at.has_value());
        CHECK(change.call.started_at == t0);
    }
    SECTION("dialing") {
        accepted(table.apply(dialing("d"), t0));
        check_ended("d", CallState::dialing, EndReason::busy);
    }
    SECTION("connected") {
        accepted(table.apply(offered("c"), t0));
        accepted(table.apply(report(Kind::connected, "c"), t1));
        const auto change = check_ended("c", CallState::connected, EndReason::normal);
        CHECK(*change.call.answered_at == t1);
    }
    SECTION("held") {
        accepted(table.apply(offered("h"), t0));
        accepted(table.apply(report(Kind::connected, "h"), t1));
        accepted(table.apply(report(Kind::held, "h"), t2));
        check_ended("h", CallState::held, EndReason::answered_elsewhere);
    }
    CHECK(table.size() == 0);
    CHECK(table.active().empty());
}

TEST_CASE("call table: the phone system's reason of an ended report stays with the call", "[call_table]") {
    CallTable table("p", "simulator");
    accepted(table.apply(dialing("d"), t0));
    auto failed = ended("d", EndReason::failed);
    failed.detail = "404 Not Found";
    const auto change = accepted(table.apply(failed, t1));
    CHECK(change.call.end_reason == EndReason::failed);
    CHECK(change.call.end_detail == "404 Not Found");

    accepted(table.apply(offered("o"), t1));
    CHECK(accepted(table.apply(ended("o", EndReason::missed), t2)).call.end_detail.empty());
}

TEST_CASE("call table: ending one call leaves the others alone", "[call_table]") {
    CallTable table("p", "simulator");
    const auto a = accepted(table.apply(offered("a"), t0)).call.id;
    const auto b = accepted(table.apply(offered("b"), t1)).call.id;
    accepted(table.apply(ended("a", EndReason::rejected), t2));
    CHECK(table.size() == 1);
    CHECK(table.find(a) == nullptr);
    REQUIRE(table.find(b) != nullptr);
    CHECK(table.find(b)->state == CallState::ringing);
    REQUIRE(table.active().size() == 1);
    CHECK(table.active()[0].id == b);
}

TEST_CASE("call table: nothing is accepted after a call ended", "[call_table]") {
    CallTable table("p", "simulator");
    accepted(table.apply(offered("x"), t0));
    accepted(table.apply(report(Kind::connected, "x"), t1));
    accepted(table.apply(ended("x", EndReason::normal), t2));

    for (auto kind : {Kind::connected, Kind::held, Kind::resumed, Kind::ended}) {
        CAPTURE(static_cast<int>(kind));
        auto late = report(kind, "x");
        late.reason = EndReason::failed;
        CHECK_THAT(rejected(table.apply(late, t3)), Catch::Contains("after it ended"));
    }
    SECTION("a late offered or dialing under the same ref is rejected as a duplicate") {
        CHECK_THAT(rejected(table.apply(offered("x"), t3)), Catch::Contains("twice"));
        CHECK_THAT(rejected(table.apply(dialing("x"), t3)), Catch::Contains("twice"));
    }
    CHECK(table.size() == 0);
    CHECK(table.has_seen_ref("x"));
}

TEST_CASE("call table: reports for an unknown call are rejected", "[call_table]") {
    CallTable table("p", "simulator");
    for (auto kind : {Kind::connected, Kind::held, Kind::resumed, Kind::ended}) {
        CAPTURE(static_cast<int>(kind));
        CHECK_THAT(rejected(table.apply(report(kind, "ghost"), t0)),
                   Catch::Contains("unknown call") && Catch::Contains("ghost"));
    }
    CHECK(table.size() == 0);
    CHECK_FALSE(table.has_seen_ref("ghost"));
}

TEST_CASE("call table: offered twice for the same ref is rejected", "[call_table]") {
    CallTable table("p", "simulator");
    const auto first = accepted(table.apply(offered("dup"), t0));
    auto again = offered("dup");
    again.from = {"999", "Someone Else"};
    CHECK_THAT(rejected(table.apply(again, t1)),
               Catch::Contains("dup") && Catch::Contains("twice"));
    CHECK(table.size() == 1);
    // The original call is untouched.
    CHECK(table.find(first.call.id)->from == cti::Party{"+14155550123", "Ada Lovelace"});
    CHECK(table.find(first.call.id)->started_at == t0);

    SECTION("dialing under an active ref is rejected too") {
        CHECK_THAT(rejected(table.apply(dialing("dup"), t1)), Catch::Contains("twice"));
        CHECK(table.size() == 1);
    }
}

TEST_CASE("call table: offered as an outbound call is rejected", "[call_table]") {
    CallTable table("p", "simulator");
    CHECK_THAT(rejected(table.apply(offered("o", Direction::outbound), t0)),
               Catch::Contains("outbound"));
    CHECK(table.size() == 0);
    CHECK_FALSE(table.has_seen_ref("o"));
    // The ref is still usable for a proper report afterwards.
    CHECK(accepted(table.apply(offered("o"), t1)).call.state == CallState::ringing);
}

TEST_CASE("call table: a report without a ref is rejected", "[call_table]") {
    CallTable table("p", "simulator");
    for (auto kind : {Kind::offered, Kind::dialing, Kind::connected, Kind::held, Kind::resumed,
                      Kind::ended}) {
        CAPTURE(static_cast<int>(kind));
        CHECK_THAT(rejected(table.apply(report(kind, ""), t0)), Catch::Contains("ref"));
    }
    CHECK(table.size() == 0);
}

TEST_CASE("call table: end_all ends every call with the reason oldest first", "[call_table]") {
    CallTable table("p", "simulator");
    // Refs in reverse alphabetical order of their start times, so ordering by ref would differ.
    const auto c = accepted(table.apply(offered("zz"), t0)).call.id;
    const auto b = accepted(table.apply(dialing("mm"), t1)).call.id;
    const auto a = accepted(table.apply(offered("aa"), t2)).call.id;
    accepted(table.apply(report(Kind::connected, "mm"), t3));
    accepted(table.apply(report(Kind::held, "mm"), t3));

    const auto changes = table.end_all(EndReason::driver_lost, "the phone system went away", t4);
    REQUIRE(changes.size() == 3);
    CHECK(changes[0].call.id == c);
    CHECK(changes[1].call.id == b);
    CHECK(changes[2].call.id == a);
    for (const auto& change : changes) {
        CAPTURE(change.call.id);
        CHECK(change.kind == Kind::ended);
        CHECK(change.call.state == CallState::ended);
        CHECK(change.call.end_reason == EndReason::driver_lost);
        CHECK(change.call.ended_at == t4);
        CHECK(change.call.end_detail == "the phone system went away");
    }
    CHECK(changes[1].call.answered_at == t3);
    CHECK(table.size() == 0);
    CHECK(table.active().empty());
    CHECK(table.find(a) == nullptr);

    SECTION("late reports for those calls are refused") {
        CHECK_THAT(rejected(table.apply(ended("mm", EndReason::normal), t4)),
                   Catch::Contains("after it ended"));
    }
    SECTION("end_all on an empty table returns nothing") {
        CHECK(table.end_all(EndReason::driver_lost, "the phone system went away", t4).empty());
    }
}

TEST_CASE("call table: active() lists active calls oldest first", "[call_table]") {
    CallTable table("p", "simulator");
    accepted(table.apply(offered("b"), t2));
    accepted(table.apply(offered("c"), t0));
    accepted(table.apply(dialing("a"), t1));
    const auto active = table.active();
    REQUIRE(active.size() == 3);
    CHECK(active[0].started_at == t0);
    CHECK(active[1].started_at == t1);
    CHECK(active[2].started_at == t2);
    CHECK(active[1].state == CallState::dialing);
}

TEST_CASE("call table: find() and ref_of() know active calls only", "[call_table]") {
    CallTable table("p", "simulator");
    const auto id = accepted(table.apply(offered("driver-ref"), t0)).call.id;

    CHECK(table.find("driver-ref") == nullptr);  // a driver ref is not a call id
    CHECK(table.ref_of("driver-ref") == nullptr);
    CHECK(table.find("nope") == nullptr);
    CHECK(table.ref_of("nope") == nullptr);
    REQUIRE(table.find(id) != nullptr);
    CHECK(table.find(id)->id == id);

    const auto reserved = table.reserve_id();
    CHECK(table.find(reserved) == nullptr);
    CHECK(table.ref_of(reserved) == nullptr);

    accepted(table.apply(ended("driver-ref", EndReason::normal), t1));
    CHECK(table.find(id) == nullptr);
    CHECK(table.ref_of(id) == nullptr);
}

TEST_CASE("call table: ids carry the prefix and are unique", "[call_table]") {
    CallTable table("5f3c9a0e", "sim");
    std::set<std::string> ids;
    for (int i = 0; i < 50; ++i) {
        std::string ref = "r";
        ref += std::to_string(i);
        std::string id;
        if (i % 3 == 0)
            id = table.reserve_id();
        else if (i % 3 == 1)
            id = accepted(table.apply(offered(ref), t0 + std::chrono::milliseconds(i))).call.id;
        else
            id = accepted(table.apply(dialing(ref), t0 + std::chrono::milliseconds(i))).call.id;
        CAPTURE(id);
        CHECK(starts_with(id, "5f3c9a0e-"));
        CHECK(ids.insert(id).second);
    }
    CHECK(ids.size() == 50);

    SECTION("ids are not reused after a call ended") {
        accepted(table.apply(ended("r1", EndReason::normal), t1));
        const auto id = accepted(table.apply(offered("fresh"), t2)).call.id;
        CHECK(ids.count(id) == 0);
    }
    SECTION("two tables with different prefixes give different ids") {
        CallTable other("a1b2c3d4", "sim");
        const auto id = accepted(other.apply(offered("r1"), t0)).call.id;
        CHECK(id == "a1b2c3d4-1");
        CHECK(ids.count(id) == 0);
    }
}

namespace {

// The pop a caller lookup would answer for `call`, with one contact found.
cti::ScreenPop pop_for(const Call& call, std::string number = "+14155550123") {
    cti::ScreenPop pop;
    pop.call = call;
    pop.number = std::move(number);
    pop.matches.push_back(cti::Contact{"C-1", "Ada Lovelace", {pop.number}, {}, "directory"});
    pop.pop = cti::PopKind::record;
    pop.url = "https://crm.example.com/contacts/C-1";
    return pop;
}

std::vector<std::string> pop_ids(const std::vector<cti::ScreenPop>& pops) {
    std::vector<std::string> ids;
    for (const auto& pop : pops) ids.push_back(pop.call.id);
    return ids;
}

}  // namespace

TEST_CASE("call table: a screen pop is kept for an active call with the call as it is now",
          "[call_table][screen_pop]") {
    CallTable table("5f3c9a0e", "simulator");
    const auto ringing = accepted(table.apply(offered("r1"), t0)).call;
    accepted(table.apply(report(Kind::connected, "r1"), t1));  // answered while the lookup ran

    const cti::ScreenPop* kept = table.keep_screen_pop(pop_for(ringing));

    REQUIRE(kept != nullptr);
    CHECK(kept->call.id == ringing.id);
    CHECK(kept->call.state == CallState::connected);
    CHECK(kept->call.answered_at == t1);
    CHECK(kept->url == "https://crm.example.com/contacts/C-1");
    REQUIRE(kept->matches.size() == 1);
    CHECK(kept->matches[0].id == "C-1");

    auto pops = table.screen_pops();
    REQUIRE(pops.size() == 1);
    CHECK(pops[0].number == "+14155550123");
    CHECK(pops[0].call.state == CallState::connected);

    accepted(table.apply(report(Kind::held, "r1"), t2));
    pops = table.screen_pops();
    REQUIRE(pops.size() == 1);
    CHECK(pops[0].call.state == CallState::held);  // listed as the call is now, not as it popped
}

TEST_CASE("call table: screen pops are listed oldest call first and erased when their call ends",
          "[call_table][screen_pop]") {
    CallTable table("5f3c9a0e", "simulator");
    const auto a = accepted(table.apply(offered("ra"), t0)).call;
    const auto b = accepted(table.apply(dialing("rb"), t1)).call;
    accepted(table.apply(offered("rc"), t2));  // no pop (yet)
    REQUIRE(table.keep_screen_pop(pop_for(b)) != nullptr);
    REQUIRE(table.keep_screen_pop(pop_for(a)) != nullptr);

    CHECK(pop_ids(table.screen_pops()) == std::vector<std::string>{a.id, b.id});

    accepted(table.apply(ended("ra", EndReason::missed), t3));
    CHECK(pop_ids(table.screen_pops()) == std::vector<std::string>{b.id});

    SECTION("end_all erases the rest") {
        table.end_all(EndReason::driver_lost, "gone", t4);
        CHECK(table.screen_pops().empty());
    }
    SECTION("a new call with a pop is listed after the older ones") {
        const auto d = accepted(table.apply(offered("rd"), t4)).call;
        REQUIRE(table.keep_screen_pop(pop_for(d)) != nullptr);
        CHECK(pop_ids(table.screen_pops()) == std::vector<std::string>{b.id, d.id});
    }
}

TEST_CASE("call table: a screen pop for an unknown or ended call is ignored", "[call_table][screen_pop]") {
    CallTable table("5f3c9a0e", "simulator");
    Call stranger;
    stranger.id = "5f3c9a0e-99";
    CHECK(table.keep_screen_pop(pop_for(stranger)) == nullptr);

    const auto call = accepted(table.apply(offered("r1"), t0)).call;
    accepted(table.apply(ended("r1", EndReason::missed), t1));
    CHECK(table.keep_screen_pop(pop_for(call)) == nullptr);  // a slow caller lookup

    CHECK(table.screen_pops().empty());
    CHECK(table.size() == 0);
}

TEST_CASE("call table: a second screen pop for a call replaces the first", "[call_table][screen_pop]") {
    CallTable table("5f3c9a0e", "simulator");
    const auto call = accepted(table.apply(offered("r1"), t0)).call;
    REQUIRE(table.keep_screen_pop(pop_for(call, "+14155550123")) != nullptr);
    REQUIRE(table.keep_screen_pop(pop_for(call, "+14155550199")) != nullptr);

    const auto pops = table.screen_pops();
    REQUIRE(pops.size() == 1);
    CHECK(pops[0].number == "+14155550199");
}
