// Turns the LINECALLSTATE_* messages of a TAPI line into the adapter's call reports.
//
// Pure logic, no I/O: the driver feeds it every LINE_CALLSTATE message from the provider and
// forwards what comes out. It remembers, per call handle, just enough (direction, whether the
// call was ever connected, whether it is held or already disconnected) to turn a state change
// into offered / dialing / connected / held / resumed / ended with the right end reason.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "cti/driver.hpp"
#include "tapi/line_constants.hpp"

namespace cti::tapi {

// One LINE_CALLSTATE message, decoded.
struct LineCallStateChange {
    std::string call;  // the provider's call handle (hCall)
    LineCallState state = LineCallState::idle;
    std::uint32_t mode = 0;  // dwCallStateMode; a LINEDISCONNECTMODE_* for DISCONNECTED
    CallOrigin origin = CallOrigin::inbound;
    Party caller;  // callerID
    Party called;  // calledID
};

struct MapResult {
    std::optional<CallReport> report;  // what to tell the core, if anything
    std::string problem;               // why the message was skipped ("" = it was fine)
};

// The end reason of a call that is disconnected with `mode`. `connected` says whether the call
// was ever answered; a mode that is no LINEDISCONNECTMODE_* value counts as UNKNOWN.
EndReason end_reason_for(std::uint32_t mode, Direction direction, bool connected);

class LineCallMapper {
public:
    MapResult apply(const LineCallStateChange& change);
    // The provider is gone: forget every call (the core ends them with driver_lost).
    void clear() { calls_.clear(); }
    bool knows(const std::string& call) const { return calls_.contains(call); }
    void forget(const std::string& call) { calls_.erase(call); }
    std::size_t size() const { return calls_.size(); }

private:
    enum class Phase { alerting, dialing, connected, held, disconnected };
    struct Tracked {
        Direction direction = Direction::inbound;
        Phase phase = Phase::alerting;
        bool was_connected = false;
        bool saw_busy = false;  // LINECALLSTATE_BUSY came before the disconnect
    };

    MapResult first_state(const LineCallStateChange& change);
    MapResult next_state(Tracked& call, const LineCallStateChange& change);
    MapResult disconnect(Tracked& call, const std::string& handle, std::uint32_t mode);
    static MapResult report(CallReport::Kind kind, const std::string& handle);
    static MapResult skip(const LineCallStateChange& change, const std::string& why);

    std::map<std::string, Tracked> calls_;
};

}  // namespace cti::tapi
