#include "tapi/provider_messages.hpp"

#include <array>
#include <utility>

#include "cti/dial_string.hpp"

namespace cti::tapi {
namespace {

using nlohmann::json;

constexpr std::array<std::pair<LineOperation::Kind, std::string_view>, 7> operation_names{{
    {LineOperation::Kind::make_call, "lineMakeCall"},
    {LineOperation::Kind::answer, "lineAnswer"},
    {LineOperation::Kind::drop, "lineDrop"},
    {LineOperation::Kind::hold, "lineHold"},
    {LineOperation::Kind::unhold, "lineUnhold"},
    {LineOperation::Kind::blind_transfer, "lineBlindTransfer"},
    {LineOperation::Kind::generate_digits, "lineGenerateDigits"},
}};

// Reads an unsigned 32-bit field; nullopt when it is absent or not such a number.
std::optional<std::uint32_t> read_u32(const json& object, const char* key) {
    auto it = object.find(key);
    if (it == object.end()) return std::nullopt;
    auto value = whole_number(*it, 0xFFFFFFFFu);
    if (!value) return std::nullopt;
    return static_cast<std::uint32_t>(*value);
}

std::optional<std::uint64_t> read_request_id(const json& object) {
    auto it = object.find("dwRequestID");
    if (it == object.end()) return std::nullopt;
    return whole_number(*it, 0xFFFFFFFFFFFFFFFFu);
}

std::optional<std::string> read_string(const json& object, const char* key) {
    auto it = object.find(key);
    if (it == object.end() || !it->is_string()) return std::nullopt;
    return it->get<std::string>();
}

// A callerID / calledID object; absent means unknown (empty). Names are display text only.
std::optional<Party> read_party(const json& object, const char* key) {
    auto it = object.find(key);
    if (it == object.end() || it->is_null()) return Party{};
    if (!it->is_object()) return std::nullopt;
    Party party;
    auto number = read_string(*it, "number").value_or("");
    if (!number.empty()) {
        auto clean = normalize_dial_string(number);
        if (!clean) return std::nullopt;
        party.number = *clean;
    }
    party.name = read_string(*it, "name").value_or("");
    return party;
}

json party_json(const Party& party) { return {{"number", party.number}, {"name", party.name}}; }

json call_state_json(const LineCallStateChange& change) {
    return {{"hCall", change.call},
            {"dwCallState", value_of(change.state)},
            {"dwCallStateMode", change.mode},
            {"dwOrigin", value_of(change.origin)},
            {"callerID", party_json(change.caller)},
            {"calledID", party_json(change.called)}};
}

ParsedProviderMessage problem(std::string text) { return {std::nullopt, std::move(text)}; }

ParsedProviderMessage parse_call_state(const json& object) {
    LineCallStateChange change;
    auto call = read_string(object, "hCall");
    if (!call || call->empty() || call->size() > 64)
        return problem("LINE_CALLSTATE: 'hCall' must be a string of 1 to 64 characters");
    change.call = *call;
    auto raw_state = read_u32(object, "dwCallState");
    if (!raw_state) return problem("LINE_CALLSTATE: 'dwCallState' must be an unsigned number");
    auto state = line_call_state_from(*raw_state);
    if (!state)
        return problem("LINE_CALLSTATE: 'dwCallState' " + std::to_string(*raw_state) +
                       " is no LINECALLSTATE_* value");
    change.state = *state;
    change.mode = read_u32(object, "dwCallStateMode").value_or(0);
    auto origin = read_u32(object, "dwOrigin").value_or(value_of(CallOrigin::unknown));
    change.origin = static_cast<CallOrigin>(origin);
    auto caller = read_party(object, "callerID");
    auto called = read_party(object, "calledID");
    if (!caller || !called)
        return problem(
            "LINE_CALLSTATE: 'callerID'/'calledID' must be objects with a dial-string 'number'");
    change.caller = *caller;
    change.called = *called;
    return {ProviderMessage{change}, {}};
}

ParsedProviderMessage parse_reply(const json& object) {
    auto id = read_request_id(object);
    if (!id) return problem("LINE_REPLY: 'dwRequestID' must be an unsigned number");
    auto result = read_u32(object, "lResult");
    if (!result) return problem("LINE_REPLY: 'lResult' must be an unsigned number");
    return {ProviderMessage{LineReply{*id, *result, read_string(object, "error").value_or("")}},
            {}};
}

ParsedProviderMessage parse_init(const json& object) {
    auto line = read_party(object, "line");
    if (!line)
        return problem("PROVIDER_INIT: 'line' must be an object with a dial-string 'number'");
    ProviderInit init{*line, read_string(object, "instance").value_or(""), {}, {}};
    auto calls = object.find("calls");
    if (calls == object.end()) return {ProviderMessage{init}, {}};
    if (!calls->is_array()) return problem("PROVIDER_INIT: 'calls' must be an array");
    for (const auto& entry : *calls) {
        auto parsed = entry.is_object() ? parse_call_state(entry) : problem("an entry is not an object");
        if (parsed.message)
            init.calls.push_back(std::get<LineCallStateChange>(*parsed.message));
        else
            init.skipped.push_back("PROVIDER_INIT 'calls': " + parsed.problem);
    }
    return {ProviderMessage{init}, {}};
}

}  // namespace

std::optional<std::uint64_t> whole_number(const json& value, std::uint64_t max) {
    if (value.is_number_unsigned()) {
        const auto number = value.get<std::uint64_t>();
        return number <= max ? std::optional(number) : std::nullopt;
    }
    if (value.is_number_integer() && value.get<std::int64_t>() >= 0) {
        const auto number = static_cast<std::uint64_t>(value.get<std::int64_t>());
        return number <= max ? std::optional(number) : std::nullopt;
    }
    return std::nullopt;
}

std::string_view operation_name(LineOperation::Kind kind) {
    for (const auto& [known, name] : operation_names)
        if (known == kind) return name;
    return "";
}

ParsedProviderMessage parse_provider_message(std::string_view line) {
    auto object = json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (object.is_discarded() || !object.is_object()) return problem("not a JSON object");
    auto kind = read_string(object, "msg");
    if (!kind) return problem("'msg' is missing");
    if (*kind == "LINE_CALLSTATE") return parse_call_state(object);
    if (*kind == "LINE_REPLY") return parse_reply(object);
    if (*kind == "PROVIDER_INIT") return parse_init(object);
    if (*kind == "CONTROL_REPLY") return {};  // meant for control clients
    return problem("unknown message '" + kind->substr(0, 40) + "'");
}

ParsedOperation parse_operation(const json& object) {
    auto fail = [](std::string text) { return ParsedOperation{std::nullopt, std::move(text)}; };
    auto name = read_string(object, "op");
    if (!name) return fail("'op' must be a string");
    LineOperation operation;
    bool known = false;
    for (const auto& [kind, op_name] : operation_names)
        if (op_name == *name) operation.kind = kind, known = true;
    if (!known) return fail("unknown operation '" + name->substr(0, 40) + "'");
    auto id = read_request_id(object);
    if (!id) return fail("'dwRequestID' must be an unsigned number");
    operation.request_id = *id;
    auto call = read_string(object, "hCall");
    if (!call || call->empty() || call->size() > 64)
        return fail("'hCall' must be a string of 1 to 64 characters");
    operation.call = *call;
    using Kind = LineOperation::Kind;
    if (operation.kind == Kind::make_call || operation.kind == Kind::blind_transfer) {
        auto dest = normalize_dial_string(read_string(object, "dest").value_or(""));
        if (!dest) return fail("'dest' must be a dial string");
        operation.dest = *dest;
    }
    if (operation.kind == Kind::generate_digits) {
        auto digits = read_string(object, "digits").value_or("");
        if (!is_valid_dtmf(digits)) return fail("'digits' must be 1 to 32 of 0-9 * # A-D");
        operation.digits = digits;
    }
    return {operation, {}};
}

std::string encode(const ProviderInit& init) {
    auto calls = json::array();
    for (const auto& change : init.calls) calls.push_back(call_state_json(change));
    return json{{"msg", "PROVIDER_INIT"},
                {"line", party_json(init.line)},
                {"instance", init.instance},
                {"calls", std::move(calls)}}
        .dump();
}

std::string encode(const LineCallStateChange& change) {
    auto message = call_state_json(change);
    message["msg"] = "LINE_CALLSTATE";
    return message.dump();
}

std::string encode(const LineReply& reply) {
    json out{{"msg", "LINE_REPLY"}, {"dwRequestID", reply.request_id}, {"lResult", reply.result}};
    if (!reply.error.empty()) out["error"] = reply.error;
    return out.dump();
}

std::string encode(const LineOperation& operation) {
    json out{{"op", operation_name(operation.kind)},
             {"dwRequestID", operation.request_id},
             {"hCall", operation.call}};
    if (!operation.dest.empty()) out["dest"] = operation.dest;
    if (!operation.digits.empty()) out["digits"] = operation.digits;
    return out.dump();
}

}  // namespace cti::tapi
