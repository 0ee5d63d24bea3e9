// The wire protocol between the driver and the emulated provider: newline-delimited JSON on a
// loopback TCP connection. Field names follow TAPI (hCall, dwCallState, dwRequestID, lResult).
//
//   provider -> client   {"msg":"PROVIDER_INIT","line":{"number":"1001","name":"Agent"},
//                         "instance":"4711-1700000000","calls":[{"hCall":"c1","dwCallState":256,...}]}
//                        {"msg":"LINE_CALLSTATE","hCall":"c1","dwCallState":2,"dwCallStateMode":0,
//                         "dwOrigin":128,"callerID":{"number":"555","name":"Alice"},"calledID":{...}}
//                        {"msg":"LINE_REPLY","dwRequestID":7,"lResult":0}
//                        {"msg":"CONTROL_REPLY","ok":true,"hCall":"c1"}
//   client -> provider   {"op":"lineMakeCall","dwRequestID":7,"hCall":"out-1","dest":"5551234"}
//                        {"op":"lineAnswer"|"lineDrop"|"lineHold"|"lineUnhold","dwRequestID":8,"hCall":"c1"}
//                        {"op":"lineBlindTransfer","dwRequestID":9,"hCall":"c1","dest":"2002"}
//                        {"op":"lineGenerateDigits","dwRequestID":10,"hCall":"c1","digits":"12#"}
//                        {"control":"offer",...}  (see control_command.hpp)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "tapi/line_call_mapper.hpp"

namespace cti::tapi {

struct ProviderInit {
    Party line;            // the line's own address and name
    std::string instance;  // names one run of the provider: a new value means a restarted one
    std::vector<LineCallStateChange> calls;  // the calls on the line now, in their latest state
    std::vector<std::string> skipped;        // why entries of "calls" could not be read
};

struct LineReply {
    std::uint64_t request_id = 0;
    std::uint32_t result = 0;  // 0 or a LINEERR_* value
    std::string error;         // a readable reason when result != 0
};

struct LineOperation {
    enum class Kind { make_call, answer, drop, hold, unhold, blind_transfer, generate_digits };
    Kind kind = Kind::make_call;
    std::uint64_t request_id = 0;
    std::string call;    // hCall; for lineMakeCall the handle the new call must get
    std::string dest;    // lineMakeCall, lineBlindTransfer
    std::string digits;  // lineGenerateDigits
};

std::string_view operation_name(LineOperation::Kind kind);  // "lineMakeCall", ...

// A message the provider sent to the driver. `problem` names what was wrong with a line that
// could not be used; a line that is fine but of no interest to the driver has neither.
using ProviderMessage = std::variant<ProviderInit, LineCallStateChange, LineReply>;
struct ParsedProviderMessage {
    std::optional<ProviderMessage> message;
    std::string problem;
};
ParsedProviderMessage parse_provider_message(std::string_view line);

struct ParsedOperation {
    std::optional<LineOperation> operation;
    std::string problem;
};
// `object` is one client message that has an "op" field.
ParsedOperation parse_operation(const nlohmann::json& object);

// A JSON number that is a whole number from 0 to `max` (written 7, not 7.0 or "7").
std::optional<std::uint64_t> whole_number(const nlohmann::json& value, std::uint64_t max);

// One line of JSON text each (no trailing newline).
std::string encode(const ProviderInit& init);
std::string encode(const LineCallStateChange& change);
std::string encode(const LineReply& reply);
std::string encode(const LineOperation& operation);

}  // namespace cti::tapi
