// The agent's state in the core (cti::AgentStateService): changes kept and published as
// agent.state, wrap-up after a talked call and its end on the timer, the state restored from the
// journal. The io_context runs on the test's thread; the timer is waited for, never slept on.
#include <catch2/catch.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>

#include "../support/recording_event_sink.hpp"
#include "../support/run_until.hpp"
#include "../support/temp_dir.hpp"
#include "call_log/call_log_journal.hpp"
#include "core/agent_state_service.hpp"
#include "core/call_log_service.hpp"

using namespace cti;
using namespace std::chrono_literals;
using Mode = AgentState::Mode;
using cti::test::RecordingEventSink;
using cti::test::run_ready;
using cti::test::run_until;

namespace {

// As the journal keeps times: to the millisecond.
TimePoint now_ms() { return std::chrono::floor<std::chrono::milliseconds>(Clock::now()); }

AgentState state(Mode mode, std::string reason = "") {
    AgentState agent;
    agent.mode = mode;
    agent.reason = std::move(reason);
    agent.since = now_ms();
    return agent;
}

AgentState wrap_up_ending(TimePoint ends) {
    auto agent = state(Mode::wrap_up);
    agent.wrap_up_ends = ends;
    return agent;
}

Call ended_call(bool answered) {
    Call call;
    call.id = "c-1";
    call.state = CallState::ended;
    call.started_at = Clock::now() - 90s;
    if (answered) call.answered_at = call.started_at + 10s;
    call.ended_at = Clock::now();
    call.end_reason = answered ? EndReason::normal : EndReason::missed;
    return call;
}

struct Agent {
    boost::asio::io_context io;
    AgentSettings settings;
    RecordingEventSink sink;
    std::vector<AgentState> kept;
    AgentStateService service{boost::asio::make_strand(io), settings, sink,
                              [this](const AgentState& agent) { kept.push_back(agent); }};

    std::vector<Mode> published_modes() const {
        std::vector<Mode> modes;
        for (const auto& event : sink.all<AgentStateEvent>()) modes.push_back(event.agent.mode);
        return modes;
    }
};

}  // namespace

TEST_CASE("agent state service: the agent starts not ready, and each change is kept and published",
          "[agent_state_service]") {
    Agent agent;
    CHECK(agent.service.current().mode == Mode::not_ready);
    CHECK(agent.service.current().since != TimePoint{});
    CHECK(agent.sink.events.empty());

    agent.service.change(state(Mode::not_ready, "Lunch"));
    agent.service.change(state(Mode::ready));

    REQUIRE(agent.sink.events.size() == 2);
    const auto* lunch = agent.sink.get<AgentStateEvent>(0);
    REQUIRE(lunch != nullptr);
    CHECK(lunch->agent.mode == Mode::not_ready);
    CHECK(lunch->agent.reason == "Lunch");
    CHECK(agent.published_modes() == std::vector<Mode>{Mode::not_ready, Mode::ready});
    REQUIRE(agent.kept.size() == 2);
    CHECK(agent.kept[0].reason == "Lunch");
    CHECK(agent.kept[1].mode == Mode::ready);
    CHECK(agent.service.current().mode == Mode::ready);
}

TEST_CASE("agent state service: a talked call starts wrap-up for the configured time", "[agent_state_service]") {
    Agent agent;
    agent.settings.wrap_up_seconds = 45;
    agent.service.change(state(Mode::ready));
    agent.sink.events.clear();

    agent.service.call_ended(ended_call(true));

    REQUIRE(agent.sink.events.size() == 1);
    const auto* wrap_up = agent.sink.get<AgentStateEvent>(0);
    REQUIRE(wrap_up != nullptr);
    CHECK(wrap_up->agent.mode == Mode::wrap_up);
    REQUIRE(wrap_up->agent.wrap_up_ends.has_value());
    CHECK(*wrap_up->agent.wrap_up_ends - wrap_up->agent.since == 45s);
    CHECK(agent.service.current().mode == Mode::wrap_up);
    REQUIRE_FALSE(agent.kept.empty());
    CHECK(agent.kept.back().mode == Mode::wrap_up);

    // The timer is armed for 45 s: nothing is due yet.
    run_ready(agent.io);
    CHECK(agent.sink.events.size() == 1);
}

TEST_CASE("agent state service: no wrap-up after an unanswered call, when not ready or with wrap-up off",
          "[agent_state_service]") {
    Agent agent;
    agent.settings.wrap_up_seconds = 45;
    SECTION("an unanswered call") {
        agent.service.change(state(Mode::ready));
        agent.service.call_ended(ended_call(false));
        CHECK(agent.service.current().mode == Mode::ready);
    }
    SECTION("an agent who chose not ready stays so") {
        agent.service.change(state(Mode::not_ready, "Break"));
        agent.service.call_ended(ended_call(true));
        CHECK(agent.service.current().mode == Mode::not_ready);
        CHECK(agent.service.current().reason == "Break");
    }
    SECTION("wrap_up_seconds 0") {
        agent.settings.wrap_up_seconds = 0;
        agent.service.change(state(Mode::ready));
        agent.service.call_ended(ended_call(true));
        CHECK(agent.service.current().mode == Mode::ready);
    }
    CHECK(agent.sink.events.size() == 1);  // only the change the test made
    CHECK(agent.kept.size() == 1);
}

TEST_CASE("agent state service: the wrap-up ends on its timer and the agent is ready again",
          "[agent_state_service]") {
    Agent agent;
    agent.service.change(wrap_up_ending(Clock::now() + 5ms));
    REQUIRE(agent.published_modes() == std::vector<Mode>{Mode::wrap_up});

    REQUIRE(run_until(agent.io, [&] { return agent.sink.events.size() == 2; }));

    CHECK(agent.published_modes() == std::vector<Mode>{Mode::wrap_up, Mode::ready});
    const auto& ready = agent.sink.all<AgentStateEvent>().back().agent;
    CHECK_FALSE(ready.wrap_up_ends.has_value());
    CHECK(agent.service.current().mode == Mode::ready);
    REQUIRE(agent.kept.size() == 2);
    CHECK(agent.kept.back().mode == Mode::ready);  // kept, so a restart finds them ready
}

TEST_CASE("agent state service: a wrap-up left early is not ended by its timer later", "[agent_state_service]") {
    Agent agent;
    agent.service.change(wrap_up_ending(Clock::now() - 1ms));  // due at once
    agent.service.change(state(Mode::not_ready, "Meeting"));

    run_ready(agent.io);

    CHECK(agent.published_modes() == std::vector<Mode>{Mode::wrap_up, Mode::not_ready});
    CHECK(agent.service.current().reason == "Meeting");
}

TEST_CASE("agent state service: a wrap-up restored from the last run ends once started", "[agent_state_service]") {
    Agent agent;
    auto restored = wrap_up_ending(now_ms() - 1s);  // it ended while the adapter was down
    restored.since = now_ms() - 61s;
    agent.service.restore(restored);
    CHECK(agent.service.current().mode == Mode::wrap_up);
    CHECK(agent.service.current().since == restored.since);
    CHECK(agent.sink.events.empty());  // restoring is not a change

    SECTION("start() arms its end") {
        agent.service.start();
        REQUIRE(run_until(agent.io, [&] { return !agent.sink.events.empty(); }));
        CHECK(agent.published_modes() == std::vector<Mode>{Mode::ready});
        CHECK(agent.service.current().mode == Mode::ready);
    }
    SECTION("stop() disarms it") {
        agent.service.start();
        agent.service.stop();
        run_ready(agent.io);
        CHECK(agent.sink.events.empty());
        CHECK(agent.service.current().mode == Mode::wrap_up);
    }
    SECTION("nothing ends it before start()") {
        run_ready(agent.io);
        CHECK(agent.sink.events.empty());
    }
}

TEST_CASE("agent state service: restore without a state from the last run keeps the agent not ready",
          "[agent_state_service]") {
    Agent agent;
    agent.service.restore(std::nullopt);
    CHECK(agent.service.current().mode == Mode::not_ready);
    CHECK(agent.service.current().since != TimePoint{});

    SECTION("a state without a time gets one") {
        AgentState timeless;
        timeless.mode = Mode::ready;
        agent.service.restore(timeless);
        CHECK(agent.service.current().mode == Mode::ready);
        CHECK(agent.service.current().since != TimePoint{});
    }
}

TEST_CASE("agent state service: the state kept in the journal is where the next run starts",
          "[agent_state_service]") {
    test::TempDir dir;
    const auto file = dir.path / "calls.sqlite3";
    boost::asio::io_context io;
    const auto strand = boost::asio::make_strand(io);
    AgentSettings settings;
    RecordingEventSink sink;
    AgentState lunch = state(Mode::not_ready, "Lunch");
    {
        CallLogService logs(strand, sink, CallLogJournal::open(file, 0).value(), false);
        CHECK_FALSE(logs.restored_agent_state().has_value());
        AgentStateService agent(strand, settings, sink, [&](const AgentState& s) { logs.keep_agent_state(s); });
        agent.restore(logs.restored_agent_state());
        agent.change(state(Mode::ready));
        agent.change(lunch);
    }  // the journal's writes are flushed here

    CallLogService logs(strand, sink, CallLogJournal::open(file, 0).value(), false);
    const auto restored = logs.restored_agent_state();
    REQUIRE(restored.has_value());
    CHECK(restored->mode == Mode::not_ready);
    CHECK(restored->reason == "Lunch");
    CHECK(restored->since == lunch.since);

    sink.events.clear();
    AgentStateService agent(strand, settings, sink, [&](const AgentState& s) { logs.keep_agent_state(s); });
    agent.restore(restored);
    agent.start();
    run_ready(io);
    CHECK(agent.current().mode == Mode::not_ready);
    CHECK(agent.current().reason == "Lunch");
    CHECK(sink.events.empty());
}
