// What the core does with each change the call table accepts (cti::CallPublisher): call events
// in order, the screen pop kept in the call table while the call is up, the call log once the
// call ends and the agent's wrap-up. Real services over a temporary journal and directory file;
// the events land in a RecordingEventSink. The strand's handlers run on the test's thread.
#include <catch2/catch.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>

#include "../support/recording_event_sink.hpp"
#include "../support/run_until.hpp"
#include "../support/temp_dir.hpp"
#include "core/call_publisher.hpp"

using namespace cti;
using Kind = CallReport::Kind;
using Mode = AgentState::Mode;
using cti::test::RecordingEventSink;
using cti::test::run_ready;
using cti::test::run_until;

namespace {

using Names = std::vector<std::string>;

ScreenPopSettings pop_settings(const std::string& directory_file) {
    ScreenPopSettings settings;
    settings.numbers = {"1", "1", "011", 5};
    settings.directory_file = directory_file;
    return settings;
}

AgentSettings agent_settings() {
    AgentSettings settings;
    settings.wrap_up_seconds = 30;
    return settings;
}

CallReport report(Kind kind, const std::string& ref) {
    CallReport r;
    r.kind = kind;
    r.ref = ref;
    return r;
}

CallReport offered(const std::string& ref) {
    auto r = report(Kind::offered, ref);
    r.from = {"(415) 555-0123", "Ada"};
    r.to = {"1001", "Agent"};
    return r;
}

CallReport dialing(const std::string& ref) {
    auto r = report(Kind::dialing, ref);
    r.from = {"1001", "Agent"};
    r.to = {"+1 415 555 0123", ""};
    return r;
}

CallReport ended(const std::string& ref, EndReason reason) {
    auto r = report(Kind::ended, ref);
    r.reason = reason;
    return r;
}

struct Core {
    test::TempDir dir;
    boost::asio::io_context io;
    boost::asio::strand<boost::asio::io_context::executor_type> strand = boost::asio::make_strand(io);
    ScreenPopSettings screen_pop = pop_settings(dir.write("contacts.csv", "id,name,number\nC-1,Ada Lovelace,4155550123\n"));
    AgentSettings agent_config = agent_settings();
    CallTable calls{"run", "simulator"};
    RecordingEventSink sink;
    CallLogService logs{strand, sink, CallLogJournal::open(dir.path / "calls.sqlite3", 0).value(), false};
    AgentStateService agent{strand, agent_config, sink, [this](const AgentState& s) { logs.keep_agent_state(s); }};
    CallPublisher publisher{io, strand, screen_pop, calls, sink, logs, agent};

    Core() {
        AgentState ready;
        ready.mode = Mode::ready;
        ready.since = Clock::now();
        agent.change(ready);
        sink.events.clear();
    }

    // As the core does with a driver's report: the table's change, published.
    CallChange apply(const CallReport& report) {
        auto result = calls.apply(report, Clock::now());
        if (const auto* rejected = std::get_if<RejectedReport>(&result)) FAIL("rejected: " << rejected->reason);
        auto change = std::get<CallChange>(std::move(result));
        publisher.publish(change);
        return change;
    }

    void wait_for_call_log() {
        REQUIRE(run_until(io, [&] { return !sink.all<CallLogEvent>().empty(); }));
    }
};

}  // namespace

TEST_CASE("call publisher: a call's reports go out as call events in order, then its log", "[call_publisher]") {
    Core core;
    const auto id = core.apply(offered("line-1")).call.id;
    run_ready(core.io);  // the caller lookup's answer
    core.apply(report(Kind::connected, "line-1"));
    core.apply(ended("line-1", EndReason::normal));
    // The call's own events went out at once; its log waits for the journal's commit.
    CHECK(core.sink.names() == Names{"call.ringing", "screen_pop", "call.connected", "call.ended", "agent.state"});
    core.wait_for_call_log();

    CHECK(core.sink.names() ==
          Names{"call.ringing", "screen_pop", "call.connected", "call.ended", "agent.state", "call_log"});
    const auto calls = core.sink.all<CallEvent>();
    REQUIRE(calls.size() == 3);
    CHECK(calls[0].kind == Kind::offered);
    CHECK(calls[0].call.state == CallState::ringing);
    CHECK(calls[1].kind == Kind::connected);
    CHECK(calls[1].call.answered_at.has_value());
    CHECK(calls[2].kind == Kind::ended);
    CHECK(calls[2].call.end_reason == EndReason::normal);
    for (const auto& event : calls) CHECK(event.call.id == id);

    // A talked call: wrap-up for the configured time.
    const auto* agent = core.sink.get<AgentStateEvent>(4);
    REQUIRE(agent != nullptr);
    CHECK(agent->agent.mode == Mode::wrap_up);
    CHECK(core.agent.current().mode == Mode::wrap_up);

    const auto* log = core.sink.get<CallLogEvent>(5);
    REQUIRE(log != nullptr);
    CHECK(log->log.log_id == id);
    CHECK(log->log.journaled);
    CHECK_FALSE(log->log.acknowledged);
    CHECK(log->log.call.state == CallState::ended);
    REQUIRE(core.logs.pending().size() == 1);
    CHECK(core.logs.pending()[0].log_id == id);
}

TEST_CASE("call publisher: the screen pop is published, kept with the call, and gone when it ends",
          "[call_publisher]") {
    Core core;
    const auto id = core.apply(offered("line-1")).call.id;
    CHECK(core.sink.names() == Names{"call.ringing"});  // the pop follows on the strand
    CHECK(core.calls.screen_pops().empty());

    run_ready(core.io);

    REQUIRE(core.sink.names() == Names{"call.ringing", "screen_pop"});
    const auto* pop = core.sink.get<ScreenPopEvent>(1);
    REQUIRE(pop != nullptr);
    CHECK(pop->pop.call.id == id);
    CHECK(pop->pop.number == "+14155550123");
    REQUIRE(pop->pop.matches.size() == 1);
    CHECK(pop->pop.matches[0].id == "C-1");
    CHECK(pop->pop.matches[0].name == "Ada Lovelace");

    auto kept = core.calls.screen_pops();
    REQUIRE(kept.size() == 1);
    CHECK(kept[0].call.id == id);
    CHECK(kept[0].matches == pop->pop.matches);

    core.apply(report(Kind::connected, "line-1"));
    kept = core.calls.screen_pops();
    REQUIRE(kept.size() == 1);
    CHECK(kept[0].call.state == CallState::connected);  // as the call is now

    core.apply(ended("line-1", EndReason::normal));
    CHECK(core.calls.screen_pops().empty());
    core.wait_for_call_log();
    CHECK(core.sink.all<ScreenPopEvent>().size() == 1);
}

TEST_CASE("call publisher: a call that ends before its caller lookup answers has no screen pop",
          "[call_publisher]") {
    Core core;
    core.apply(offered("line-1"));
    core.apply(ended("line-1", EndReason::missed));

    core.wait_for_call_log();

    CHECK(core.sink.names() == Names{"call.ringing", "call.ended", "call_log"});
    CHECK(core.calls.screen_pops().empty());
    CHECK(core.agent.current().mode == Mode::ready);  // never answered: no wrap-up
    const auto* log = core.sink.get<CallLogEvent>(2);
    REQUIRE(log != nullptr);
    CHECK(log->log.acknowledged);  // nothing to wrap up: not pending
    CHECK(core.logs.pending().empty());
}

TEST_CASE("call publisher: a dial pops its callee, and a held call publishes nothing else", "[call_publisher]") {
    Core core;
    const auto id = core.apply(dialing("out-1")).call.id;
    run_ready(core.io);
    REQUIRE(core.sink.names() == Names{"call.dialing", "screen_pop"});
    const auto* pop = core.sink.get<ScreenPopEvent>(1);
    REQUIRE(pop != nullptr);
    CHECK(pop->pop.call_type == Direction::outbound);
    CHECK(pop->pop.number == "+14155550123");
    REQUIRE(core.calls.screen_pops().size() == 1);

    core.apply(report(Kind::connected, "out-1"));
    core.apply(report(Kind::held, "out-1"));
    core.apply(report(Kind::resumed, "out-1"));
    run_ready(core.io);
    CHECK(core.sink.names() == Names{"call.dialing", "screen_pop", "call.connected", "call.held", "call.resumed"});
    REQUIRE(core.calls.screen_pops().size() == 1);
    CHECK(core.calls.screen_pops()[0].call.id == id);
    CHECK(core.calls.screen_pops()[0].call.state == CallState::connected);
}
