// Ties the phone's own dialog of a referred call to the click-to-dial call that made it.
//
// A click-to-dial in monitor mode makes two SIP dialogs on the agent's phone: the control leg
// (the driver's INVITE, then its REFER) and the call the REFER makes the phone place to the
// number. The PBX's dialog-info describes both. The agent dialled one call, so the referred
// dialog must not show as a second one: the first new outbound dialog to the dialled number
// that the PBX reports while the click-to-dial call waits for it is taken for that call. Its
// reports then drive the click-to-dial call (connected, ended) instead of a call of their own.
//
// The wait is bounded (`window`): a PBX that never reports the referred call must not make a
// later, unrelated call of the agent to the same number disappear.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>

#include "cti/driver.hpp"

namespace cti::sip {

class ReferredCalls {
public:
    using Clock = std::chrono::steady_clock;

    explicit ReferredCalls(std::chrono::milliseconds window) : window_(window) {}

    // The click-to-dial call `dial_ref` has referred the phone to `number`: from `now` until
    // the window is over, the first new outbound dialog to that number is its referred call.
    void expect(const std::string& dial_ref, const std::string& number, Clock::time_point now);
    // The click-to-dial call is over: it waits for nothing any more, and a dialog bound to it
    // is let go (the PBX's later reports of it are dropped, not shown as a call).
    void forget(const std::string& dial_ref);
    // Everything is forgotten (the registration or the subscription is lost).
    void clear();

    // The ref of the dialog bound to the click-to-dial call, if any.
    std::optional<std::string> bound_dialog(const std::string& dial_ref) const;
    // Why the driver cannot hang up the click-to-dial call, for the agent to read; nullopt
    // while it can (no referred dialog bound yet: the control leg is still the call).
    std::optional<std::string> hang_up_refusal(const std::string& dial_ref) const;

    // What one of the DialogMonitor's reports means.
    struct Route {
        enum class Action {
            pass,       // not about a referred call: report it as it is
            drop,       // about a referred call, nothing for the agent to see (bound, still early)
            connected,  // the referred call was answered: the click-to-dial call is connected
            ended,      // the referred call is over: end the click-to-dial call with `report`'s reason
        };
        Action action = Action::pass;
        std::string dial_ref;  // the click-to-dial call concerned (all but pass)
    };
    Route route(const CallReport& report, Clock::time_point now);

private:
    struct Expected {
        std::string number;
        Clock::time_point until;
        std::optional<std::string> dialog;  // the bound dialog's ref
        bool dropped = false;               // the click-to-dial call is gone, the dialog not yet
    };
    static bool same_number(const std::string& dialled, const std::string& reported);

    std::chrono::milliseconds window_;
    std::map<std::string, Expected> expected_;  // by click-to-dial ref
};

}  // namespace cti::sip
