// The agent's availability as the core keeps it: what it is now, the change a page asks for,
// wrap-up after a talked call and its end on a timer. Every change is kept (so a restart finds
// the agent where they were) and told to every page as `agent.state`.
// Not thread-safe: runs on the core's strand, which is also the timer's executor.
#pragma once

#include <functional>
#include <optional>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "agent/agent_state.hpp"
#include "core/event_sink.hpp"

namespace cti {

class AgentStateService {
public:
    using Keep = std::function<void(const AgentState&)>;

    AgentStateService(boost::asio::any_io_executor strand, const AgentSettings& settings, EventSink& events,
                      Keep keep);

    // The state the last run left (nullopt: none; the agent starts not ready).
    void restore(std::optional<AgentState> state);
    // Arms the end of a wrap-up restored from the last run; stop() disarms it.
    void start();
    void stop();

    const AgentState& current() const { return agent_; }
    void change(AgentState state);
    // After a call the agent talked on: wrap-up time, unless they chose not ready.
    void call_ended(const Call& call);

private:
    void schedule_wrap_up_end();

    const AgentSettings& settings_;
    EventSink& events_;
    Keep keep_;
    AgentState agent_;
    // Armed only while in wrap-up: nothing wakes up otherwise.
    boost::asio::steady_timer wrap_up_timer_;
};

}  // namespace cti
