// The messages baresip's ctrl_tcp sends, decoded from their JSON payload.
#pragma once

#include <optional>
#include <string>
#include <variant>

namespace cti::baresip {

// {"event":true,"type":"CALL_INCOMING","class":"call","direction":"incoming","id":...}
struct CtrlEvent {
    std::string type;
    std::string event_class;
    std::string direction;      // "incoming", "outgoing" or empty
    std::string id;             // the SIP Call-ID; empty on an outgoing call's first events
    std::string peer_uri;
    std::string peer_display_name;
    std::string account_aor;
    std::string param;
};

// {"response":true,"ok":true,"data":"...","token":"..."}
struct CtrlResponse {
    bool ok = false;
    std::string data;
    std::string token;
};

struct UnknownMessage {
    std::string why;  // for the status detail; the message itself is ignored
};

using CtrlMessage = std::variant<CtrlEvent, CtrlResponse, UnknownMessage>;

// Never throws: anything that is not a well-formed event or response is an UnknownMessage.
CtrlMessage decode_ctrl_message(const std::string& payload);

// The JSON payload of a command (params and token optional).
std::string encode_ctrl_command(const std::string& command, const std::string& params,
                                const std::string& token);

}  // namespace cti::baresip
