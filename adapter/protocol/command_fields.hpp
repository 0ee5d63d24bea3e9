// The fields of the commands' bodies, read into the core's types (docs/PROTOCOL.md, 2).
//
// A handler asks for what its command carries and gets it typed, or an invalid_input Error
// whose message names the field and what was expected (sent to the page as `bad_request`).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "agent/agent_state.hpp"
#include "cti/result.hpp"

namespace cti::protocol {

// A string of 1 to `max_length` bytes.
Result<std::string> string_field(const nlohmann::json& body, const char* name, std::size_t max_length = 256);

// The fields the handlers read, by what they mean (the names and lengths of docs/PROTOCOL.md, 2).
Result<std::string> call_id_field(const nlohmann::json& body);       // call commands, simulate
bool names_call(const nlohmann::json& body);                          // simulate: for an existing call?
Result<std::string> dial_to_field(const nlohmann::json& body);       // dial, transfer: as typed
Result<std::string> dtmf_digits_field(const nlohmann::json& body);   // dtmf: as typed
Result<std::string> pairing_request_id_field(const nlohmann::json& body);  // pairing.approve, .deny
Result<std::string> pairing_target_field(const nlohmann::json& body);      // pairing.revoke
Result<std::string> token_field(const nlohmann::json& body);         // authenticate
Result<std::string> pairing_name_field(const nlohmann::json& body);  // pair

// set_agent_state: `state`, and for not_ready a `reason` the settings list.
Result<AgentState> agent_state_request(const nlohmann::json& body, const AgentSettings& settings, TimePoint now);

struct SaveLogRequest {
    std::string log_id;
    std::optional<std::string> disposition;  // absent or null: kept as it is
    std::optional<std::string> notes;
};
Result<SaveLogRequest> save_log_request(const nlohmann::json& body);

struct HistoryRequest {
    std::int64_t before = 0;  // a cursor; 0: from the newest
    std::int64_t limit = 20;
};
Result<HistoryRequest> history_request(const nlohmann::json& body);

// `resume` is two commands: with `call_id` it takes a call off hold, with `epoch` and
// `after_seq` it resumes a page's events.
bool resumes_session(const nlohmann::json& body);
struct ResumeSessionRequest {
    std::string epoch;
    std::uint64_t after_seq = 0;
};
Result<ResumeSessionRequest> resume_session_request(const nlohmann::json& body);

}  // namespace cti::protocol
