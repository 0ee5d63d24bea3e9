// The one place where protocol frames are encoded and commands decoded (docs/PROTOCOL.md).
//
// Nothing else in the adapter builds a frame by hand, so the wire format has a single owner.
// Events are encoded once into a shared, immutable string that every client's send queue
// points at.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/page_event.hpp"
#include "cti/call.hpp"
#include "cti/driver.hpp"
#include "pairing/pairing_requests.hpp"
#include "pairing/pairing_store.hpp"
#include "protocol/values.hpp"
#include "screen_pop/screen_pop.hpp"

namespace cti::protocol {

inline constexpr int version = 1;
inline constexpr std::string_view product = "cti-adapter";

// An encoded frame, shared by every client it is sent to.
using Frame = std::shared_ptr<const std::string>;

struct Hello {
    std::string adapter_version;
    std::string epoch;
    DriverInfo driver;
    Capabilities capabilities;
    std::vector<std::string> not_ready_reasons;
};

struct Snapshot {
    std::string epoch;
    std::uint64_t seq = 0;
    DriverInfo driver;
    std::vector<Call> calls;
    std::vector<CallLogRecord> call_logs;  // pending (unacknowledged) call logs, oldest first
    AgentState agent;
    std::vector<ScreenPop> screen_pops;    // the pop of each active call, as the call is now
};

Frame encode_hello(const Hello& hello);
nlohmann::json snapshot_body(const Snapshot& snapshot);
Frame encode_snapshot(const Snapshot& snapshot, bool resync);
// The event's name and fields (docs/PROTOCOL.md, 3) and its place in this run's sequence.
Frame encode_event(std::uint64_t seq, std::string_view epoch, const PageEvent& event);
Frame encode_result(const nlohmann::json& id, const nlohmann::json& data);

// The `data` of the results that carry the core's values.
nlohmann::json ping_body(TimePoint now);
nlohmann::json call_log_body(const CallLogRecord& record);  // save_log
nlohmann::json history_body(const std::vector<CallLogRecord>& newest_first, bool more);
nlohmann::json agent_state_body(const AgentState& agent);   // set_agent_state
nlohmann::json resume_body(std::size_t replayed, bool resync);
nlohmann::json revocation_body(const std::vector<std::string>& revoked_ids, std::size_t sessions_closed);
// The `data` of a driver command's result: what the driver replied, and the call it started
// (`call_id`, when not empty).
nlohmann::json command_result_body(const CommandReply& reply, std::string_view call_id);
// The protocol's error code for a driver's failure of this kind (docs/PROTOCOL.md, 2.3).
std::string_view command_error_code(ErrorKind kind);
Frame encode_error_result(const nlohmann::json& id, std::string_view code, std::string_view message);
Frame encode_frame_error(std::string_view code, std::string_view message);

// Pairing (docs/PROTOCOL.md, section 1.3). The short hello a page of another origin gets
// before it authenticates: who is here, nothing about the phone.
Frame encode_hello_auth_required(std::string_view adapter_version);
// The only frame that ever carries a token.
Frame encode_paired(std::string_view token);
Frame encode_pairing_failed(std::string_view reason);
// The `data` of a `pair` command's result.
nlohmann::json pairing_request_body(const PairingRequest& request, std::string_view approve_at,
                                    std::int64_t expires_in_ms);
// The `data` of `pairing.list`: the pending requests and the pairings (never a hash or token).
nlohmann::json pairing_list_body(const std::vector<PairingRequest>& pending,
                                 const std::vector<Pairing>& paired);

// A decoded command: `type`, the client's `id` (a string, echoed back) and the whole object.
struct Command {
    std::string type;
    nlohmann::json id;
    nlohmann::json body;
};

// Why a frame is not a command. `frame_level` problems (not JSON, not an object) are answered
// with an `error` frame; the others with a `result` carrying `id`.
struct DecodeError {
    bool frame_level = false;
    std::string code;
    std::string message;
    nlohmann::json id;  // null when unknown
};

std::variant<Command, DecodeError> decode_command(std::string_view text);

}  // namespace cti::protocol
