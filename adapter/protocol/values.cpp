#include "protocol/values.hpp"

#include <ctime>

namespace cti::protocol {
namespace {

using nlohmann::json;

json optional_time(const std::optional<TimePoint>& time) {
    return time ? json(iso8601(*time)) : json(nullptr);
}

template <typename T>
json optional_value(const std::optional<T>& value) {
    return value ? json(*value) : json(nullptr);
}

}  // namespace

std::string iso8601(TimePoint time) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch());
    // Floor division, so times before 1970 (a badly set clock) still format correctly.
    const auto whole_seconds = std::chrono::floor<std::chrono::seconds>(ms);
    const std::time_t seconds = static_cast<std::time_t>(whole_seconds.count());
    std::tm utc{};
#ifdef _WIN32
    gmtime_s(&utc, &seconds);  // the C runtime's thread-safe form (arguments swapped)
#else
    gmtime_r(&seconds, &utc);
#endif
    char text[48];
    const auto millis = static_cast<int>((ms - whole_seconds).count());
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                  utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, millis);
    return text;
}

json to_json(const Party& party) { return {{"number", party.number}, {"name", party.name}}; }

json to_json(const Call& call) {
    return {{"id", call.id},
            {"direction", to_string(call.direction)},
            {"state", to_string(call.state)},
            {"from", to_json(call.from)},
            {"to", to_json(call.to)},
            {"started_at", iso8601(call.started_at)},
            {"answered_at", optional_time(call.answered_at)},
            {"ended_at", optional_time(call.ended_at)},
            {"end_reason", call.end_reason ? json(to_string(*call.end_reason)) : json(nullptr)},
            {"end_detail", call.end_reason ? json(call.end_detail) : json(nullptr)},
            {"driver", call.driver}};
}

json to_json(const DriverInfo& driver) {
    return {{"name", driver.name},
            {"status", to_string(driver.status.state)},
            {"detail", driver.status.detail}};
}

json to_json(const Contact& contact) {
    return {{"id", contact.id},
            {"name", contact.name},
            {"numbers", contact.numbers},
            {"fields", contact.fields},
            {"source", contact.source}};
}

json screen_pop_fields(const ScreenPop& pop) {
    json matches = json::array();
    for (const auto& contact : pop.matches) matches.push_back(to_json(contact));
    json fields = json::array();
    for (const auto& [key, value] : pop.fields) fields.push_back({{"key", key}, {"value", value}});
    const auto count = pop.matches.size();
    return {{"call_id", pop.call.id},
            {"call_type", to_string(pop.call_type)},
            {"caller", to_json(pop.call.from)},
            {"called", to_json(pop.call.to)},
            {"call", to_json(pop.call)},
            {"number", pop.number.empty() ? json(nullptr) : json(pop.number)},
            {"match", count == 0 ? "none" : count == 1 ? "single" : "multiple"},
            {"matches", std::move(matches)},
            {"pop", {{"kind", to_string(pop.pop)}, {"url", pop.url.empty() ? json(nullptr) : json(pop.url)}}},
            {"fields", std::move(fields)}};
}

// A call log's own names: `call_type` for the call's direction, as Open CTI's saveLog has it.
json to_json(const CallLogRecord& record) {
    const auto& call = record.call;
    json log{{"log_id", record.log_id},
             {"call_id", call.id},
             {"call_type", to_string(call.direction)},
             {"from", to_json(call.from)},
             {"to", to_json(call.to)},
             {"started_at", iso8601(call.started_at)},
             {"answered_at", optional_time(call.answered_at)},
             {"ended_at", optional_time(call.ended_at)},
             {"duration_s", record.duration_s},
             {"end_reason", call.end_reason ? json(to_string(*call.end_reason)) : json(nullptr)},
             {"end_detail", call.end_detail},
             {"driver", call.driver},
             {"disposition", optional_value(record.disposition)},
             {"notes", optional_value(record.notes)},
             {"acknowledged", record.acknowledged},
             {"cursor", record.cursor}};
    if (!record.journaled) log["journaled"] = false;
    return log;
}

json to_json(const AgentState& agent) {
    using Mode = AgentState::Mode;
    return {{"state", to_string(agent.mode)},
            {"reason", agent.mode == Mode::not_ready ? json(agent.reason) : json(nullptr)},
            {"since", iso8601(agent.since)},
            {"wrap_up_ends_at", optional_time(agent.wrap_up_ends)}};
}

}  // namespace cti::protocol
