#include "baresip/ctrl_message.hpp"

#include <nlohmann/json.hpp>

namespace cti::baresip {
namespace {

using nlohmann::json;

// Fields are optional in baresip's output; a field of the wrong type counts as absent.
std::string text_field(const json& object, const char* key) {
    auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

bool true_field(const json& object, const char* key) {
    auto it = object.find(key);
    return it != object.end() && it->is_boolean() && it->get<bool>();
}

}  // namespace

CtrlMessage decode_ctrl_message(const std::string& payload) {
    const json message = json::parse(payload, nullptr, /*allow_exceptions=*/false);
    if (message.is_discarded()) return UnknownMessage{"a ctrl_tcp message that is not JSON"};
    if (!message.is_object()) return UnknownMessage{"a ctrl_tcp message that is not a JSON object"};
    if (true_field(message, "event")) {
        CtrlEvent event;
        event.type = text_field(message, "type");
        if (event.type.empty()) return UnknownMessage{"a ctrl_tcp event without a type"};
        event.event_class = text_field(message, "class");
        event.direction = text_field(message, "direction");
        event.id = text_field(message, "id");
        event.peer_uri = text_field(message, "peeruri");
        event.peer_display_name = text_field(message, "peerdisplayname");
        event.account_aor = text_field(message, "accountaor");
        event.param = text_field(message, "param");
        return event;
    }
    if (true_field(message, "response")) {
        CtrlResponse response;
        response.ok = true_field(message, "ok");
        response.data = text_field(message, "data");
        response.token = text_field(message, "token");
        return response;
    }
    return UnknownMessage{"a ctrl_tcp message that is neither an event nor a response"};
}

std::string encode_ctrl_command(const std::string& command, const std::string& params,
                                const std::string& token) {
    json message{{"command", command}};
    if (!params.empty()) message["params"] = params;
    if (!token.empty()) message["token"] = token;
    return message.dump();
}

}  // namespace cti::baresip
