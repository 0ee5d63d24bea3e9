// TAPI 2.x line constants with the numeric values of Microsoft's tapi.h, so that traces of the
// emulated provider read like traces of a real telephony service provider.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace cti::tapi {

// LINECALLSTATE_* (one bit each).
enum class LineCallState : std::uint32_t {
    idle = 0x00000001,
    offering = 0x00000002,
    accepted = 0x00000004,
    dialtone = 0x00000008,
    dialing = 0x00000010,
    ringback = 0x00000020,
    busy = 0x00000040,
    specialinfo = 0x00000080,
    connected = 0x00000100,
    proceeding = 0x00000200,
    onhold = 0x00000400,
    conferenced = 0x00000800,
    onholdpendconf = 0x00001000,
    onholdpendtransfer = 0x00002000,
    disconnected = 0x00004000,
    unknown = 0x00008000,
};

// LINEDISCONNECTMODE_* (the dwCallStateMode of a DISCONNECTED call).
enum class DisconnectMode : std::uint32_t {
    normal = 0x00000001,
    unknown = 0x00000002,
    reject = 0x00000004,
    pickup = 0x00000008,
    forwarded = 0x00000010,
    busy = 0x00000020,
    noanswer = 0x00000040,
    badaddress = 0x00000080,
    unreachable = 0x00000100,
    congestion = 0x00000200,
    incompatible = 0x00000400,
    unavail = 0x00000800,
    nodialtone = 0x00001000,
    numberchanged = 0x00002000,
    outoforder = 0x00004000,
    tempfailure = 0x00008000,
    qosunavail = 0x00010000,
    blocked = 0x00020000,
    donotdisturb = 0x00040000,
    cancelled = 0x00080000,
};

// LINECALLORIGIN_* (LINECALLINFO.dwOrigin).
enum class CallOrigin : std::uint32_t {
    outbound = 0x00000001,
    internal = 0x00000002,
    external = 0x00000004,
    unknown = 0x00000010,
    unavail = 0x00000020,
    conference = 0x00000040,
    inbound = 0x00000080,
};

// LINEERR_* results of an operation (LINE_REPLY.lResult); 0 is success.
inline constexpr std::uint32_t lineerr_invaladdress = 0x80000010;
inline constexpr std::uint32_t lineerr_invalcallhandle = 0x80000018;
inline constexpr std::uint32_t lineerr_invalcallstate = 0x8000001C;
inline constexpr std::uint32_t lineerr_operationfailed = 0x80000048;

inline constexpr LineCallState all_line_call_states[] = {
    LineCallState::idle,           LineCallState::offering,
    LineCallState::accepted,       LineCallState::dialtone,
    LineCallState::dialing,        LineCallState::ringback,
    LineCallState::busy,           LineCallState::specialinfo,
    LineCallState::connected,      LineCallState::proceeding,
    LineCallState::onhold,         LineCallState::conferenced,
    LineCallState::onholdpendconf, LineCallState::onholdpendtransfer,
    LineCallState::disconnected,   LineCallState::unknown,
};

inline constexpr DisconnectMode all_disconnect_modes[] = {
    DisconnectMode::normal,       DisconnectMode::unknown,       DisconnectMode::reject,
    DisconnectMode::pickup,       DisconnectMode::forwarded,     DisconnectMode::busy,
    DisconnectMode::noanswer,     DisconnectMode::badaddress,    DisconnectMode::unreachable,
    DisconnectMode::congestion,   DisconnectMode::incompatible,  DisconnectMode::unavail,
    DisconnectMode::nodialtone,   DisconnectMode::numberchanged, DisconnectMode::outoforder,
    DisconnectMode::tempfailure,  DisconnectMode::qosunavail,    DisconnectMode::blocked,
    DisconnectMode::donotdisturb, DisconnectMode::cancelled,
};

// "LINECALLSTATE_OFFERING", ... ("" for a value that is not one of them).
std::string_view to_string(LineCallState state);
std::string_view to_string(DisconnectMode mode);

// A raw dwCallState / dwCallStateMode as read off the wire; nullopt when it is no known value.
std::optional<LineCallState> line_call_state_from(std::uint32_t value);
std::optional<DisconnectMode> disconnect_mode_from(std::uint32_t value);
// By name, with or without the prefix: "OFFERING", "LINECALLSTATE_OFFERING" (case-sensitive).
std::optional<LineCallState> line_call_state_named(std::string_view name);
std::optional<DisconnectMode> disconnect_mode_named(std::string_view name);

constexpr std::uint32_t value_of(LineCallState state) { return static_cast<std::uint32_t>(state); }
constexpr std::uint32_t value_of(DisconnectMode mode) { return static_cast<std::uint32_t>(mode); }
constexpr std::uint32_t value_of(CallOrigin origin) { return static_cast<std::uint32_t>(origin); }

}  // namespace cti::tapi
