#include "tapi/line_constants.hpp"

namespace cti::tapi {

std::string_view to_string(LineCallState state) {
    switch (state) {
        case LineCallState::idle:
            return "LINECALLSTATE_IDLE";
        case LineCallState::offering:
            return "LINECALLSTATE_OFFERING";
        case LineCallState::accepted:
            return "LINECALLSTATE_ACCEPTED";
        case LineCallState::dialtone:
            return "LINECALLSTATE_DIALTONE";
        case LineCallState::dialing:
            return "LINECALLSTATE_DIALING";
        case LineCallState::ringback:
            return "LINECALLSTATE_RINGBACK";
        case LineCallState::busy:
            return "LINECALLSTATE_BUSY";
        case LineCallState::specialinfo:
            return "LINECALLSTATE_SPECIALINFO";
        case LineCallState::connected:
            return "LINECALLSTATE_CONNECTED";
        case LineCallState::proceeding:
            return "LINECALLSTATE_PROCEEDING";
        case LineCallState::onhold:
            return "LINECALLSTATE_ONHOLD";
        case LineCallState::conferenced:
            return "LINECALLSTATE_CONFERENCED";
        case LineCallState::onholdpendconf:
            return "LINECALLSTATE_ONHOLDPENDCONF";
        case LineCallState::onholdpendtransfer:
            return "LINECALLSTATE_ONHOLDPENDTRANSFER";
        case LineCallState::disconnected:
            return "LINECALLSTATE_DISCONNECTED";
        case LineCallState::unknown:
            return "LINECALLSTATE_UNKNOWN";
    }
    return "";
}

std::string_view to_string(DisconnectMode mode) {
    switch (mode) {
        case DisconnectMode::normal:
            return "LINEDISCONNECTMODE_NORMAL";
        case DisconnectMode::unknown:
            return "LINEDISCONNECTMODE_UNKNOWN";
        case DisconnectMode::reject:
            return "LINEDISCONNECTMODE_REJECT";
        case DisconnectMode::pickup:
            return "LINEDISCONNECTMODE_PICKUP";
        case DisconnectMode::forwarded:
            return "LINEDISCONNECTMODE_FORWARDED";
        case DisconnectMode::busy:
            return "LINEDISCONNECTMODE_BUSY";
        case DisconnectMode::noanswer:
            return "LINEDISCONNECTMODE_NOANSWER";
        case DisconnectMode::badaddress:
            return "LINEDISCONNECTMODE_BADADDRESS";
        case DisconnectMode::unreachable:
            return "LINEDISCONNECTMODE_UNREACHABLE";
        case DisconnectMode::congestion:
            return "LINEDISCONNECTMODE_CONGESTION";
        case DisconnectMode::incompatible:
            return "LINEDISCONNECTMODE_INCOMPATIBLE";
        case DisconnectMode::unavail:
            return "LINEDISCONNECTMODE_UNAVAIL";
        case DisconnectMode::nodialtone:
            return "LINEDISCONNECTMODE_NODIALTONE";
        case DisconnectMode::numberchanged:
            return "LINEDISCONNECTMODE_NUMBERCHANGED";
        case DisconnectMode::outoforder:
            return "LINEDISCONNECTMODE_OUTOFORDER";
        case DisconnectMode::tempfailure:
            return "LINEDISCONNECTMODE_TEMPFAILURE";
        case DisconnectMode::qosunavail:
            return "LINEDISCONNECTMODE_QOSUNAVAIL";
        case DisconnectMode::blocked:
            return "LINEDISCONNECTMODE_BLOCKED";
        case DisconnectMode::donotdisturb:
            return "LINEDISCONNECTMODE_DONOTDISTURB";
        case DisconnectMode::cancelled:
            return "LINEDISCONNECTMODE_CANCELLED";
    }
    return "";
}

std::optional<LineCallState> line_call_state_from(std::uint32_t value) {
    for (auto state : all_line_call_states)
        if (value_of(state) == value) return state;
    return std::nullopt;
}

std::optional<DisconnectMode> disconnect_mode_from(std::uint32_t value) {
    for (auto mode : all_disconnect_modes)
        if (value_of(mode) == value) return mode;
    return std::nullopt;
}

namespace {
bool names_match(std::string_view full, std::string_view prefix, std::string_view name) {
    return full == name || full.substr(prefix.size()) == name;
}
}  // namespace

std::optional<LineCallState> line_call_state_named(std::string_view name) {
    for (auto state : all_line_call_states)
        if (names_match(to_string(state), "LINECALLSTATE_", name)) return state;
    return std::nullopt;
}

std::optional<DisconnectMode> disconnect_mode_named(std::string_view name) {
    for (auto mode : all_disconnect_modes)
        if (names_match(to_string(mode), "LINEDISCONNECTMODE_", name)) return mode;
    return std::nullopt;
}

}  // namespace cti::tapi
