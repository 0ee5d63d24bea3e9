// The frames a client of the adapter receives (docs/PROTOCOL.md, 1 to 3), read into types: what
// `cti-adapter status`, `dial`, `simulate` and `pair` learn from the adapter they talk to. The
// decoders never throw; a malformed frame is an invalid_input Error naming the field.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cti/result.hpp"
#include "pairing/pairing_store.hpp"
#include "protocol/messages.hpp"
#include "protocol/received_values.hpp"

namespace cti::protocol {

enum class ServerFrameType { hello, snapshot, event, result, error, other };

// What every frame says about itself: its type and, for a result, the command's id (empty when
// it is null).
struct FrameEnvelope {
    ServerFrameType type = ServerFrameType::other;
    RequestId id;
};
Result<FrameEnvelope> decode_envelope(std::string_view frame);

// A cti-adapter's full hello (the one a page gets without authenticating first). Anything else,
// a hello that asks for a token included, is an Error.
Result<Hello> decode_hello(std::string_view frame);

// What a client reads of a snapshot: where the events stand and the calls that are up.
struct SnapshotSummary {
    std::string epoch;
    std::uint64_t seq = 0;
    std::vector<CallSummary> calls;
};
Result<SnapshotSummary> decode_snapshot(std::string_view frame);

// A call's event (call.ringing ... call.ended).
struct CallEventFrame {
    CallReport::Kind kind = CallReport::Kind::offered;
    CallSummary call;
    std::optional<EndReason> reason;  // call.ended only (null when the call has none)
    std::string detail;               // call.ended only: the phone system's words
};
// nullopt: an event, but not a call's (screen_pop, agent.state, call_log, driver.status).
Result<std::optional<CallEventFrame>> decode_call_event(std::string_view frame);

// A command's outcome: its `result` frame, or the `error` frame the adapter answered it with.
struct CommandError {
    std::string code;
    std::string message;
};
template <typename Data>
struct CommandResult {
    RequestId id;                       // empty for an `error` frame
    std::optional<CommandError> error;  // set when the command failed; `data` is then empty
    Data data;
};

// dial, simulate: the call the command started, when it started one.
struct StartedCall {
    std::optional<std::string> call_id;
};
// pairing.list
struct PendingPairing {
    std::string id;
    std::string origin;
    std::string name;
    std::string code;
    std::int64_t expires_in_ms = 0;
};
struct PairingListing {
    std::vector<PendingPairing> pending;
    std::vector<Pairing> paired;  // never a token's hash; `created`, `last_used` empty when null
};
// pairing.revoke
struct Revocation {
    std::vector<std::string> revoked;  // the pairings' ids
    std::size_t sessions_closed = 0;
};

Result<CommandResult<StartedCall>> decode_started_call_result(std::string_view frame);
Result<CommandResult<PairingListing>> decode_pairing_list_result(std::string_view frame);
Result<CommandResult<Revocation>> decode_revocation_result(std::string_view frame);

}  // namespace cti::protocol
