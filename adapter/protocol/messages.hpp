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

// The id a page gave its command: a string of 1 to 64 characters, written back into the
// command's result as it came. Empty when the frame had none that could be used.
using RequestId = std::string;

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
// The name of a call's event of this kind ("call.ringing" for offered).
std::string_view call_event_name(CallReport::Kind kind);
// The event's name and fields (docs/PROTOCOL.md, 3) and its place in this run's sequence.
Frame encode_event(std::uint64_t seq, std::string_view epoch, const PageEvent& event);
// A result with any `data`: the typed results below are made with it.
Frame encode_result(const RequestId& id, const nlohmann::json& data);

// The results that carry the core's values.
Frame encode_ping_result(const RequestId& id, TimePoint now);
Frame encode_snapshot_result(const RequestId& id, const Snapshot& snapshot);
Frame encode_call_log_result(const RequestId& id, const CallLogRecord& record);  // save_log
Frame encode_history_result(const RequestId& id, const std::vector<CallLogRecord>& newest_first, bool more);
Frame encode_agent_state_result(const RequestId& id, const AgentState& agent);   // set_agent_state
Frame encode_resume_result(const RequestId& id, std::size_t replayed, bool resync);
Frame encode_revocation_result(const RequestId& id, const std::vector<std::string>& revoked_ids,
                               std::size_t sessions_closed);
Frame encode_empty_result(const RequestId& id);
Frame encode_authenticated_result(const RequestId& id, std::string_view pairing_id);
// A driver command's result: what the driver replied, and the call it started (`call_id`, when
// not empty).
Frame encode_command_result(const RequestId& id, const CommandReply& reply, std::string_view call_id);
// The protocol's error code for a driver's failure of this kind (docs/PROTOCOL.md, 2.3).
std::string_view command_error_code(ErrorKind kind);
// `id` empty: the frame had no usable id, and the result says `"id": null`.
Frame encode_error_result(const RequestId& id, std::string_view code, std::string_view message);
Frame encode_frame_error(std::string_view code, std::string_view message);

// Pairing (docs/PROTOCOL.md, section 1.3). The short hello a page of another origin gets
// before it authenticates: who is here, nothing about the phone.
Frame encode_hello_auth_required(std::string_view adapter_version);
// The only frame that ever carries a token.
Frame encode_paired(std::string_view token);
Frame encode_pairing_failed(std::string_view reason);
// A `pair` command's result: where the user approves it, and for how long.
Frame encode_pairing_request_result(const RequestId& id, const PairingRequest& request,
                                    std::string_view approve_at, std::int64_t expires_in_ms);
// `pairing.list`: the pending requests and the pairings (never a hash or token).
Frame encode_pairing_list_result(const RequestId& id, const std::vector<PairingRequest>& pending,
                                 const std::vector<Pairing>& paired);

// A decoded command: `type`, the client's `id` (echoed back) and the whole object, whose fields
// only protocol/ reads (command_fields.hpp).
struct Command {
    std::string type;
    RequestId id;
    nlohmann::json body;
};

// Why a frame is not a command. `frame_level` problems (not JSON, not an object) are answered
// with an `error` frame; the others with a `result` carrying `id`.
struct DecodeError {
    bool frame_level = false;
    std::string code;
    std::string message;
    RequestId id;  // empty when unknown
};

std::variant<Command, DecodeError> decode_command(std::string_view text);

}  // namespace cti::protocol
