#include "tapi/line_call_mapper.hpp"

namespace cti::tapi {
namespace {

Direction direction_of(CallOrigin origin) {
    switch (origin) {
        case CallOrigin::outbound:
            return Direction::outbound;
        case CallOrigin::internal:
            return Direction::internal;
        default:
            return Direction::inbound;
    }
}

bool is_hold_state(LineCallState state) {
    return state == LineCallState::onhold || state == LineCallState::onholdpendconf ||
           state == LineCallState::onholdpendtransfer;
}

// States in which a call still waits to be answered (by the agent or by the far end).
bool is_setup_state(LineCallState state) {
    switch (state) {
        case LineCallState::offering:
        case LineCallState::accepted:
        case LineCallState::dialtone:
        case LineCallState::dialing:
        case LineCallState::ringback:
        case LineCallState::proceeding:
        case LineCallState::busy:
        case LineCallState::specialinfo:
            return true;
        default:
            return false;
    }
}

}  // namespace

EndReason end_reason_for(std::uint32_t raw_mode, Direction direction, bool connected) {
    const auto mode = disconnect_mode_from(raw_mode).value_or(DisconnectMode::unknown);
    const bool inbound = direction != Direction::outbound;
    // Once a call was talking, however it ends it was a normal call.
    if (connected) return EndReason::normal;
    switch (mode) {
        case DisconnectMode::busy:
            return EndReason::busy;
        case DisconnectMode::reject:
        case DisconnectMode::blocked:
        case DisconnectMode::donotdisturb:
            return EndReason::rejected;
        case DisconnectMode::pickup:
            return inbound ? EndReason::answered_elsewhere : EndReason::failed;
        case DisconnectMode::noanswer:
            return inbound ? EndReason::missed : EndReason::failed;
        // An unanswered inbound call that the caller ended, that was diverted, or that the
        // switch cancelled: nobody here took it.
        case DisconnectMode::normal:
        case DisconnectMode::cancelled:
        case DisconnectMode::forwarded:
            return inbound ? EndReason::missed : EndReason::normal;
        case DisconnectMode::unknown:
            return inbound ? EndReason::missed : EndReason::failed;
        case DisconnectMode::badaddress:
        case DisconnectMode::unreachable:
        case DisconnectMode::congestion:
        case DisconnectMode::incompatible:
        case DisconnectMode::unavail:
        case DisconnectMode::nodialtone:
        case DisconnectMode::numberchanged:
        case DisconnectMode::outoforder:
        case DisconnectMode::tempfailure:
        case DisconnectMode::qosunavail:
            return inbound ? EndReason::missed : EndReason::failed;
    }
    return EndReason::failed;
}

MapResult LineCallMapper::apply(const LineCallStateChange& change) {
    if (change.call.empty()) return skip(change, "the call handle is empty");
    if (change.state == LineCallState::unknown) return {};  // nothing we can say about it
    auto it = calls_.find(change.call);
    if (it == calls_.end()) return first_state(change);
    return next_state(it->second, change);
}

MapResult LineCallMapper::first_state(const LineCallStateChange& change) {
    Tracked call;
    CallReport out;
    out.ref = change.call;
    out.from = change.caller;
    out.to = change.called;
    switch (change.state) {
        case LineCallState::offering:
            call.direction = direction_of(change.origin);
            if (call.direction == Direction::outbound)
                return skip(change, "an OFFERING call cannot have origin OUTBOUND");
            out.kind = CallReport::Kind::offered;
            break;
        case LineCallState::dialtone:
        case LineCallState::dialing:
        case LineCallState::proceeding:
            call.direction = Direction::outbound;
            call.phase = Phase::dialing;
            out.kind = CallReport::Kind::dialing;
            break;
        case LineCallState::idle:
            return {};  // a call that ends before we saw it: nothing to report
        default:
            return skip(change, "a new call cannot start in this state");
    }
    out.direction = call.direction;
    calls_[change.call] = call;
    return {out, {}};
}

MapResult LineCallMapper::next_state(Tracked& call, const LineCallStateChange& change) {
    const auto& handle = change.call;
    const auto state = change.state;
    if (state == LineCallState::idle) {
        // IDLE without DISCONNECTED first (allowed by TAPI): the call ends now.
        auto result = call.phase == Phase::disconnected
                          ? MapResult{}
                          : disconnect(call, handle, value_of(DisconnectMode::unknown));
        calls_.erase(handle);
        return result;
    }
    if (call.phase == Phase::disconnected) return skip(change, "the call is already disconnected");
    if (state == LineCallState::disconnected) return disconnect(call, handle, change.mode);

    if (state == LineCallState::connected || state == LineCallState::conferenced) {
        if (call.phase == Phase::connected) return {};  // a repeat, or CONNECTED <-> CONFERENCED
        const bool was_held = call.phase == Phase::held;
        call.phase = Phase::connected;
        call.was_connected = true;
        return report(was_held ? CallReport::Kind::resumed : CallReport::Kind::connected, handle);
    }
    if (is_hold_state(state)) {
        if (call.phase == Phase::held) return {};
        if (call.phase != Phase::connected)
            return skip(change, "only a connected call can be held");
        call.phase = Phase::held;
        return report(CallReport::Kind::held, handle);
    }
    if (is_setup_state(state)) {
        if (call.phase == Phase::connected || call.phase == Phase::held)
            return skip(change, "an answered call cannot go back to call set-up");
        const bool outbound_state =
            state != LineCallState::offering && state != LineCallState::accepted;
        if (outbound_state != (call.phase == Phase::dialing))
            return skip(change, call.phase == Phase::dialing ? "an outbound call cannot be offered"
                                                             : "an offered call cannot dial");
        if (state == LineCallState::busy) call.saw_busy = true;
        return {};  // still setting up: the call's state in the adapter does not change
    }
    return skip(change, "unexpected state");
}

MapResult LineCallMapper::disconnect(Tracked& call, const std::string& handle, std::uint32_t mode) {
    auto reason = end_reason_for(mode, call.direction, call.was_connected);
    // A far end that signalled busy and then hung up without saying why was still busy.
    if (call.saw_busy && !call.was_connected &&
        (reason == EndReason::failed || reason == EndReason::normal))
        reason = EndReason::busy;
    call.phase = Phase::disconnected;
    auto result = report(CallReport::Kind::ended, handle);
    result.report->reason = reason;
    // The line's own words for why a dial never came about (what a TAPI admin looks up).
    if (call.direction == Direction::outbound && !call.was_connected) {
        if (auto known = disconnect_mode_from(mode)) result.report->detail = std::string(to_string(*known));
        if (call.saw_busy && reason == EndReason::busy && result.report->detail != "LINEDISCONNECTMODE_BUSY")
            result.report->detail += (result.report->detail.empty() ? "" : " ") + std::string("after LINECALLSTATE_BUSY");
    }
    return result;
}

MapResult LineCallMapper::report(CallReport::Kind kind, const std::string& handle) {
    CallReport out;
    out.kind = kind;
    out.ref = handle;
    return {out, {}};
}

MapResult LineCallMapper::skip(const LineCallStateChange& change, const std::string& why) {
    auto name = to_string(change.state);
    return {std::nullopt, "call '" + change.call + "': " + std::string(name) + " skipped: " + why};
}

}  // namespace cti::tapi
