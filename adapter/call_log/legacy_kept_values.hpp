// Reads what versions before the journal's typed tables kept as JSON text in `kept_values`
// (an open call, the agent's state), so that an upgrade loses neither. Only the journal's
// one-time take-over uses it; nothing writes this form any more.
#pragma once

#include <optional>
#include <string>

#include "agent/agent_state.hpp"
#include "cti/call.hpp"

namespace cti::legacy {

std::optional<Call> open_call(const std::string& text);
std::optional<AgentState> agent_state(const std::string& text);

}  // namespace cti::legacy
