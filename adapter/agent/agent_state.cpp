#include "agent/agent_state.hpp"

namespace cti {

AgentSettings AgentSettings::read(SettingsReader reader) {
    AgentSettings settings;
    settings.not_ready_reasons = reader.string_list(
        "not_ready_reasons", settings.not_ready_reasons, [](const std::string& reason) -> std::string {
            return reason.empty() || reason.size() > 64 ? "expected 1 to 64 characters" : "";
        });
    settings.wrap_up_seconds = reader.integer("wrap_up_seconds", settings.wrap_up_seconds, 0, 3600);
    settings.wrap_up_unanswered = reader.boolean("wrap_up_unanswered", settings.wrap_up_unanswered);
    reader.reject_unknown();
    return settings;
}

std::string_view to_string(AgentState::Mode mode) {
    switch (mode) {
        case AgentState::Mode::ready: return "ready";
        case AgentState::Mode::not_ready: return "not_ready";
        case AgentState::Mode::wrap_up: return "wrap_up";
    }
    return "not_ready";
}

std::optional<AgentState::Mode> agent_mode_named(std::string_view name) {
    for (auto mode : {AgentState::Mode::ready, AgentState::Mode::not_ready, AgentState::Mode::wrap_up})
        if (name == to_string(mode)) return mode;
    return std::nullopt;
}

}  // namespace cti
