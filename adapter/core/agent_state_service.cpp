#include "core/agent_state_service.hpp"

#include <algorithm>

#include "logging/logging.hpp"

namespace cti {

AgentStateService::AgentStateService(boost::asio::any_io_executor strand, const AgentSettings& settings,
                                     EventSink& events, Keep keep)
    : settings_(settings), events_(events), keep_(std::move(keep)), wrap_up_timer_(std::move(strand)) {
    agent_.since = Clock::now();
}

void AgentStateService::restore(std::optional<AgentState> state) {
    if (state) agent_ = std::move(*state);
    if (agent_.since == TimePoint{}) agent_.since = Clock::now();
}

void AgentStateService::start() { schedule_wrap_up_end(); }

void AgentStateService::stop() { wrap_up_timer_.cancel(); }

void AgentStateService::change(AgentState state) {
    agent_ = std::move(state);
    keep_(agent_);
    spdlog::info("agent is {}{}", to_string(agent_.mode),
                 agent_.reason.empty() ? "" : " (" + printable(agent_.reason) + ")");
    events_.publish(AgentStateEvent{agent_});
    schedule_wrap_up_end();
}

void AgentStateService::call_ended(const Call& call) {
    if (!call.answered_at || settings_.wrap_up_seconds <= 0 || agent_.mode == AgentState::Mode::not_ready) return;
    AgentState wrap_up;
    wrap_up.mode = AgentState::Mode::wrap_up;
    wrap_up.since = Clock::now();
    wrap_up.wrap_up_ends = wrap_up.since + std::chrono::seconds(settings_.wrap_up_seconds);
    change(std::move(wrap_up));
}

void AgentStateService::schedule_wrap_up_end() {
    wrap_up_timer_.cancel();
    if (agent_.mode != AgentState::Mode::wrap_up || !agent_.wrap_up_ends) return;
    const auto left = *agent_.wrap_up_ends - Clock::now();
    wrap_up_timer_.expires_after(std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::max(left, Clock::duration::zero())));
    wrap_up_timer_.async_wait([this](boost::system::error_code ec) {
        if (ec || agent_.mode != AgentState::Mode::wrap_up) return;
        AgentState ready;
        ready.mode = AgentState::Mode::ready;
        ready.since = Clock::now();
        change(std::move(ready));
    });
}

}  // namespace cti
