#include "tapi/control_command.hpp"

#include <array>
#include <utility>

#include "cti/dial_string.hpp"
#include "tapi/line_constants.hpp"
#include "tapi/provider_messages.hpp"

namespace cti::tapi {
namespace {

using nlohmann::json;
using Kind = ControlCommand::Kind;

constexpr std::array<std::pair<Kind, std::string_view>, 7> control_names{{
    {Kind::offer, "offer"},
    {Kind::answer, "answer"},
    {Kind::hangup, "hangup"},
    {Kind::busy, "busy"},
    {Kind::pickup, "pickup"},
    {Kind::disconnect, "disconnect"},
    {Kind::state, "state"},
}};

ParsedControl fail(std::string field, std::string problem) {
    return {std::nullopt, "'" + field + "': " + problem};
}

// A mode or state given by name ("BUSY", "LINEDISCONNECTMODE_BUSY") or by number.
template <typename Lookup>
std::optional<std::uint32_t> read_flag(const json& value, Lookup by_name) {
    if (auto number = whole_number(value, 0xFFFFFFFFu)) return static_cast<std::uint32_t>(*number);
    if (value.is_string())
        if (auto known = by_name(value.get<std::string>())) return value_of(*known);
    return std::nullopt;
}

// The first problem with an offer's fields, if any.
std::optional<ParsedControl> read_offer(const json& object, ControlCommand& command) {
    auto from = object.find("from");
    auto number = from != object.end() && from->is_string()
                      ? normalize_dial_string(from->get<std::string>())
                      : std::nullopt;
    if (!number) return fail("from", "expected a dial string (digits, *, #, leading +)");
    command.from.number = *number;
    if (auto name = object.find("name"); name != object.end()) {
        if (!name->is_string() || name->get<std::string>().size() > 128)
            return fail("name", "expected a string of at most 128 characters");
        command.from.name = name->get<std::string>();
    }
    if (auto to = object.find("to"); to != object.end()) {
        auto called =
            to->is_string() ? normalize_dial_string(to->get<std::string>()) : std::nullopt;
        if (!called) return fail("to", "expected a dial string (digits, *, #, leading +)");
        command.to = *called;
    }
    if (auto internal = object.find("internal"); internal != object.end()) {
        if (!internal->is_boolean()) return fail("internal", "expected true or false");
        command.internal = internal->get<bool>();
    }
    if (auto after = object.find("hangup_after_answer_ms"); after != object.end()) {
        if (!after->is_number_integer() || after->get<std::int64_t>() < 0 ||
            after->get<std::int64_t>() > 86400000)
            return fail("hangup_after_answer_ms", "expected an integer from 0 to 86400000");
        command.hangup_after_answer_ms = after->get<std::int64_t>();
    }
    return std::nullopt;
}

}  // namespace

ParsedControl parse_control(const json& object) {
    ControlCommand command;
    auto kind = object.find("control");
    bool known = false;
    if (kind != object.end() && kind->is_string())
        for (const auto& [each, name] : control_names)
            if (name == kind->get<std::string>()) command.kind = each, known = true;
    if (!known)
        return fail("control",
                    "expected one of offer, answer, hangup, busy, pickup, disconnect, state");

    if (auto call = object.find("call"); call != object.end()) {
        if (!call->is_string() || call->get<std::string>().empty() ||
            call->get<std::string>().size() > 64)
            return fail("call", "expected a string of 1 to 64 characters");
        command.call = call->get<std::string>();
    } else if (command.kind != Kind::offer) {
        return fail("call", "required: the call's handle");
    }

    if (command.kind == Kind::offer) {
        if (auto problem = read_offer(object, command)) return *problem;
    }
    if (command.kind == Kind::disconnect || command.kind == Kind::state) {
        auto mode = object.find("mode");
        if (mode == object.end() && command.kind == Kind::disconnect)
            return fail("mode", "required: a LINEDISCONNECTMODE_* name or value");
        if (mode != object.end()) {
            auto value = read_flag(*mode, disconnect_mode_named);
            if (!value)
                return fail("mode", "expected a LINEDISCONNECTMODE_* name or an unsigned number");
            command.mode = *value;
        }
    }
    if (command.kind == Kind::state) {
        auto state = object.find("state");
        auto value =
            state == object.end() ? std::nullopt : read_flag(*state, line_call_state_named);
        if (!value || !line_call_state_from(*value))
            return fail("state", "expected a LINECALLSTATE_* name or value");
        command.state = *value;
    }
    return {command, {}};
}

}  // namespace cti::tapi
