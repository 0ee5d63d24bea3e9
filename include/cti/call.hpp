// The normalised call model shared by the core and every driver.
//
// Drivers describe what happened on the phone system with these types; the core's call table
// owns the resulting call state and turns it into protocol events.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace cti {

using Clock = std::chrono::system_clock;
using TimePoint = Clock::time_point;

enum class Direction { inbound, outbound, internal };

enum class CallState { ringing, dialing, connected, held, ended };

// Why a call ended, as the protocol reports it.
enum class EndReason {
    normal,              // hung up after being connected (or the agent cancelled a dial)
    missed,              // an inbound call that nobody answered
    rejected,            // declined by the agent or by the far end
    busy,                // the far end was busy
    failed,              // the call could not be set up
    answered_elsewhere,  // a ringing call was picked up on another device
    driver_lost,         // the phone system went away while the call was up
};

// One side of a call. Numbers are dial strings (digits, '*', '#', optional leading '+').
struct Party {
    std::string number;
    std::string name;
    bool operator==(const Party&) const = default;
};

// A call as the core knows it. Owned by the call table; copies are handed out read-only.
struct Call {
    std::string id;
    Direction direction = Direction::inbound;
    CallState state = CallState::ringing;
    Party from;
    Party to;
    TimePoint started_at{};
    std::optional<TimePoint> answered_at;
    std::optional<TimePoint> ended_at;
    std::optional<EndReason> end_reason;
    // The phone system's own words for why the call ended, where it gave any (e.g. a SIP
    // "404 Not Found"): what an agent needs to understand a failed dial. Empty when none.
    std::string end_detail;
    std::string driver;
};

constexpr std::string_view to_string(Direction direction) {
    switch (direction) {
        case Direction::inbound: return "inbound";
        case Direction::outbound: return "outbound";
        case Direction::internal: return "internal";
    }
    return "inbound";
}

constexpr std::string_view to_string(CallState state) {
    switch (state) {
        case CallState::ringing: return "ringing";
        case CallState::dialing: return "dialing";
        case CallState::connected: return "connected";
        case CallState::held: return "held";
        case CallState::ended: return "ended";
    }
    return "ended";
}

constexpr std::string_view to_string(EndReason reason) {
    switch (reason) {
        case EndReason::normal: return "normal";
        case EndReason::missed: return "missed";
        case EndReason::rejected: return "rejected";
        case EndReason::busy: return "busy";
        case EndReason::failed: return "failed";
        case EndReason::answered_elsewhere: return "answered_elsewhere";
        case EndReason::driver_lost: return "driver_lost";
    }
    return "normal";
}

inline bool is_active(CallState state) { return state != CallState::ended; }

}  // namespace cti
