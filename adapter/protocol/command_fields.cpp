#include "protocol/command_fields.hpp"

#include <algorithm>

namespace cti::protocol {
namespace {

using nlohmann::json;

auto invalid(std::string message) { return fail(ErrorKind::invalid_input, std::move(message)); }

// An optional text field: absent or null is "not given"; anything else must be a short string.
Result<std::optional<std::string>> optional_text(const json& body, const char* name, std::size_t max) {
    auto it = body.find(name);
    if (it == body.end() || it->is_null()) return std::optional<std::string>{};
    if (!it->is_string() || it->get_ref<const std::string&>().size() > max)
        return invalid(std::string("'") + name + "' must be a string of at most " + std::to_string(max) + " bytes");
    return std::optional<std::string>(it->get<std::string>());
}

}  // namespace

Result<std::string> string_field(const json& body, const char* name, std::size_t max_length) {
    auto it = body.find(name);
    if (it == body.end()) return invalid(std::string("'") + name + "' is missing");
    if (!it->is_string()) return invalid(std::string("'") + name + "' must be a string, got " + it->type_name());
    const auto& text = it->get_ref<const std::string&>();
    if (text.empty() || text.size() > max_length)
        return invalid(std::string("'") + name + "' must be 1 to " + std::to_string(max_length) + " characters");
    return text;
}

Result<std::string> call_id_field(const json& body) { return string_field(body, "call_id", 128); }
bool names_call(const json& body) { return body.contains("call_id"); }
Result<std::string> dial_to_field(const json& body) { return string_field(body, "to", 64); }
Result<std::string> dtmf_digits_field(const json& body) { return string_field(body, "digits", 32); }
Result<std::string> pairing_request_id_field(const json& body) { return string_field(body, "request_id"); }
Result<std::string> pairing_target_field(const json& body) { return string_field(body, "target"); }
Result<std::string> token_field(const json& body) { return string_field(body, "token", 256); }
Result<std::string> pairing_name_field(const json& body) { return string_field(body, "name", 100); }

Result<AgentState> agent_state_request(const json& body, const AgentSettings& settings, TimePoint now) {
    auto state_field = body.find("state");
    if (state_field == body.end() || !state_field->is_string())
        return invalid("'state' must be \"ready\" or \"not_ready\"");
    AgentState state;
    state.since = now;
    const auto& name = state_field->get_ref<const std::string&>();
    if (name == "ready") {
        state.mode = AgentState::Mode::ready;
        return state;
    }
    if (name != "not_ready") return invalid("'state' must be \"ready\" or \"not_ready\"");
    state.mode = AgentState::Mode::not_ready;
    auto reason = body.find("reason");
    if (reason == body.end() || !reason->is_string()) return invalid("'reason' is required for not_ready");
    state.reason = reason->get<std::string>();
    const auto& allowed = settings.not_ready_reasons;
    if (std::find(allowed.begin(), allowed.end(), state.reason) == allowed.end()) {
        std::string list;
        for (const auto& r : allowed) list += (list.empty() ? "" : ", ") + r;
        return invalid("'reason' must be one of the configured not-ready reasons: " + list);
    }
    return state;
}

Result<SaveLogRequest> save_log_request(const json& body) {
    auto log_id = string_field(body, "log_id", 128);
    if (!log_id) return fail(log_id.error());
    auto disposition = optional_text(body, "disposition", 128);
    if (!disposition) return fail(disposition.error());
    auto notes = optional_text(body, "notes", 8000);
    if (!notes) return fail(notes.error());
    return SaveLogRequest{std::move(*log_id), std::move(*disposition), std::move(*notes)};
}

Result<HistoryRequest> history_request(const json& body) {
    HistoryRequest request;
    if (auto it = body.find("before"); it != body.end() && !it->is_null()) {
        if (!it->is_number_integer() || it->get<std::int64_t>() < 0)
            return invalid("'before' must be a cursor (an integer >= 0)");
        request.before = it->get<std::int64_t>();
    }
    if (auto it = body.find("limit"); it != body.end()) {
        if (!it->is_number_integer() || it->get<std::int64_t>() < 1 || it->get<std::int64_t>() > 100)
            return invalid("'limit' must be an integer from 1 to 100");
        request.limit = it->get<std::int64_t>();
    }
    return request;
}

bool resumes_session(const json& body) { return body.contains("epoch") || body.contains("after_seq"); }

Result<ResumeSessionRequest> resume_session_request(const json& body) {
    if (body.contains("call_id"))
        return invalid("'resume' takes either 'call_id' (take a call off hold) or "
                       "'epoch' and 'after_seq' (resume events), not both");
    auto epoch = body.find("epoch");
    auto after = body.find("after_seq");
    if (epoch == body.end() || !epoch->is_string()) return invalid("'epoch' must be a string");
    if (after == body.end() || !after->is_number_integer() || after->get<std::int64_t>() < 0)
        return invalid("'after_seq' must be an integer >= 0");
    return ResumeSessionRequest{epoch->get<std::string>(), after->get<std::uint64_t>()};
}

}  // namespace cti::protocol
