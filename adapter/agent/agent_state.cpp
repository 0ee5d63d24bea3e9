#include "agent/agent_state.hpp"

#include <algorithm>

#include "protocol/messages.hpp"

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

nlohmann::json AgentState::to_json() const {
    return {{"state", to_string(mode)},
            {"reason", mode == Mode::not_ready ? nlohmann::json(reason) : nlohmann::json(nullptr)},
            {"since", protocol::iso8601(since)},
            {"wrap_up_ends_at", wrap_up_ends ? nlohmann::json(protocol::iso8601(*wrap_up_ends)) : nullptr}};
}

nlohmann::json AgentState::to_stored() const {
    auto ms = [](TimePoint time) {
        return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
    };
    nlohmann::json stored{{"state", to_string(mode)}, {"reason", reason}, {"since_ms", ms(since)}};
    if (wrap_up_ends) stored["wrap_up_ends_ms"] = ms(*wrap_up_ends);
    return stored;
}

std::optional<AgentState> AgentState::from_stored(const nlohmann::json& json) {
    // Stored form: mode name, reason, and times in milliseconds since the epoch.
    if (!json.is_object()) return std::nullopt;
    AgentState state;
    const auto mode = json.value("state", "");
    if (mode == "ready") state.mode = Mode::ready;
    else if (mode == "not_ready") state.mode = Mode::not_ready;
    else if (mode == "wrap_up") state.mode = Mode::wrap_up;
    else return std::nullopt;
    state.reason = json.value("reason", "");
    state.since = TimePoint(std::chrono::milliseconds(json.value("since_ms", std::int64_t{0})));
    if (json.contains("wrap_up_ends_ms") && json["wrap_up_ends_ms"].is_number_integer())
        state.wrap_up_ends = TimePoint(std::chrono::milliseconds(json["wrap_up_ends_ms"].get<std::int64_t>()));
    return state;
}

std::variant<AgentState, std::string> requested_state(const nlohmann::json& body,
                                                      const AgentSettings& settings, TimePoint now) {
    auto state_field = body.find("state");
    if (state_field == body.end() || !state_field->is_string())
        return std::string("'state' must be \"ready\" or \"not_ready\"");
    AgentState state;
    state.since = now;
    const auto& name = state_field->get_ref<const std::string&>();
    if (name == "ready") {
        state.mode = AgentState::Mode::ready;
        return state;
    }
    if (name != "not_ready") return std::string("'state' must be \"ready\" or \"not_ready\"");
    state.mode = AgentState::Mode::not_ready;
    auto reason = body.find("reason");
    if (reason == body.end() || !reason->is_string())
        return std::string("'reason' is required for not_ready");
    state.reason = reason->get<std::string>();
    const auto& allowed = settings.not_ready_reasons;
    if (std::find(allowed.begin(), allowed.end(), state.reason) == allowed.end()) {
        std::string list;
        for (const auto& r : allowed) list += (list.empty() ? "" : ", ") + r;
        return "'reason' must be one of the configured not-ready reasons: " + list;
    }
    return state;
}

}  // namespace cti
