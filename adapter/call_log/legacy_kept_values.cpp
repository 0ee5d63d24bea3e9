#include "call_log/legacy_kept_values.hpp"

#include <nlohmann/json.hpp>

namespace cti::legacy {
namespace {

TimePoint from_ms(std::int64_t ms) { return TimePoint(std::chrono::milliseconds(ms)); }

std::int64_t ms_field(const nlohmann::json& object, const char* key) {
    const auto it = object.find(key);
    return it != object.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
}

std::string text_field(const nlohmann::json& object, const char* key) {
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

std::optional<Call> open_call(const std::string& text) {
    const auto json = nlohmann::json::parse(text, nullptr, false);
    if (!json.is_object() || text_field(json, "id").empty()) return std::nullopt;
    Call call;
    call.id = text_field(json, "id");
    const auto direction = text_field(json, "direction");
    call.direction = direction == "outbound" ? Direction::outbound
                     : direction == "internal" ? Direction::internal
                                               : Direction::inbound;
    const auto party = [&](const char* key) {
        const auto it = json.find(key);
        if (it == json.end() || !it->is_object()) return Party{};
        return Party{text_field(*it, "number"), text_field(*it, "name")};
    };
    call.from = party("from");
    call.to = party("to");
    call.started_at = from_ms(ms_field(json, "started_ms"));
    if (const auto it = json.find("answered_ms"); it != json.end() && it->is_number_integer())
        call.answered_at = from_ms(it->get<std::int64_t>());
    call.driver = text_field(json, "driver");
    return call;
}

std::optional<AgentState> agent_state(const std::string& text) {
    const auto json = nlohmann::json::parse(text, nullptr, false);
    if (!json.is_object()) return std::nullopt;
    const auto mode = agent_mode_named(text_field(json, "state"));
    if (!mode) return std::nullopt;
    AgentState state;
    state.mode = *mode;
    state.reason = text_field(json, "reason");
    state.since = from_ms(ms_field(json, "since_ms"));
    if (const auto it = json.find("wrap_up_ends_ms"); it != json.end() && it->is_number_integer())
        state.wrap_up_ends = from_ms(it->get<std::int64_t>());
    return state;
}

}  // namespace cti::legacy
