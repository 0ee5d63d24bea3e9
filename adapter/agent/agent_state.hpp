// The agent's availability: ready, not ready (with a reason from the config), or in wrap-up
// after a call (for a limited time, then ready again). Kept across restarts.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "cti/call.hpp"
#include "cti/settings.hpp"

namespace cti {

struct AgentSettings {
    std::vector<std::string> not_ready_reasons{"Break", "Lunch", "Meeting", "Training"};
    std::int64_t wrap_up_seconds = 60;  // after an answered call; 0: no wrap-up
    // Whether a call that never connected (missed, busy, a failed dial) waits for the agent's
    // wrap-up like a talked call. Off: its log is written already wrapped up, so six failed
    // dials do not pile six forms above the dialler.
    bool wrap_up_unanswered = false;
    static AgentSettings read(SettingsReader reader);
};

struct AgentState {
    enum class Mode { ready, not_ready, wrap_up };
    Mode mode = Mode::not_ready;
    std::string reason;                     // not_ready only
    TimePoint since{};
    std::optional<TimePoint> wrap_up_ends;  // wrap_up only
};

std::string_view to_string(AgentState::Mode mode);
std::optional<AgentState::Mode> agent_mode_named(std::string_view name);

}  // namespace cti
