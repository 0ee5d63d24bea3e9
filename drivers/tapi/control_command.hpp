// What a trainer or a test can make the emulated phone system do: the far end's side of calls.
// Sent on the provider's socket as {"control": ...} messages, or read from a script file.
//
//   {"control":"offer","from":"5551234","name":"Alice","to":"1001","call":"c7",
//    "internal":false,"hangup_after_answer_ms":500}    a call rings on the line
//   {"control":"answer","call":"out-1"}                 the far end answers an outbound call
//   {"control":"hangup","call":"c7"}                    the far end hangs up (NORMAL)
//   {"control":"busy","call":"out-1"}                   the far end is busy
//   {"control":"pickup","call":"c7"}                    another phone picks the ringing call up
//   {"control":"disconnect","call":"c7","mode":"NOANSWER"}  any LINEDISCONNECTMODE_*
//   {"control":"state","call":"c7","state":"ONHOLD","mode":0}  any raw LINECALLSTATE_*
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "cti/call.hpp"

namespace cti::tapi {

struct ControlCommand {
    enum class Kind { offer, answer, hangup, busy, pickup, disconnect, state };
    Kind kind = Kind::offer;
    std::string call;       // the call's handle; for offer optional (the provider picks one)
    Party from;             // offer
    std::string to;         // offer: the dialled address ("" = the line's own)
    bool internal = false;  // offer
    std::optional<std::int64_t> hangup_after_answer_ms;  // offer: the caller leaves by itself
    std::uint32_t state = 0;                             // state: a LINECALLSTATE_* value
    std::uint32_t mode = 0;  // disconnect, state: a LINEDISCONNECTMODE_* or other mode value
};

struct ParsedControl {
    std::optional<ControlCommand> command;
    std::string problem;  // names the field, e.g. "'from': expected a dial string"
};

// `object` is a JSON object with a "control" field.
ParsedControl parse_control(const nlohmann::json& object);

}  // namespace cti::tapi
