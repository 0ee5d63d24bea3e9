#include "sip/referred_calls.hpp"

#include "cti/dial_string.hpp"

namespace cti::sip {

void ReferredCalls::expect(const std::string& dial_ref, const std::string& number, Clock::time_point now) {
    expected_[dial_ref] = {number, now + window_, std::nullopt, false};
}

void ReferredCalls::forget(const std::string& dial_ref) {
    auto it = expected_.find(dial_ref);
    if (it == expected_.end()) return;
    // A bound dialog's end is still to come; until then its reports stay swallowed.
    if (it->second.dialog)
        it->second.dropped = true;
    else
        expected_.erase(it);
}

void ReferredCalls::clear() { expected_.clear(); }

std::optional<std::string> ReferredCalls::bound_dialog(const std::string& dial_ref) const {
    auto it = expected_.find(dial_ref);
    if (it == expected_.end() || it->second.dropped) return std::nullopt;
    return it->second.dialog;
}

std::optional<std::string> ReferredCalls::hang_up_refusal(const std::string& dial_ref) const {
    // The call is the phone's own dialog with the far end now: only the phone can end it.
    // Ending it from outside would need RFC 3891 Replaces on the phone (baresip has none), and
    // a BYE on the control leg would leave the call up.
    if (!bound_dialog(dial_ref)) return std::nullopt;
    return "hang up on your phone: the call runs on the phone now, and the SIP driver cannot end it";
}

bool ReferredCalls::same_number(const std::string& dialled, const std::string& reported) {
    // The PBX writes the number as the phone dialled it, from the Refer-To URI the driver built.
    const auto a = normalize_dial_string(dialled);
    const auto b = normalize_dial_string(reported);
    return a && b && *a == *b;
}

ReferredCalls::Route ReferredCalls::route(const CallReport& report, Clock::time_point now) {
    using Kind = CallReport::Kind;
    using Action = Route::Action;
    for (auto it = expected_.begin(); it != expected_.end(); ++it) {
        if (it->second.dialog != report.ref) continue;
        const auto dial_ref = it->first;
        if (report.kind == Kind::ended) {
            const bool dropped = it->second.dropped;
            expected_.erase(it);
            return {dropped ? Action::drop : Action::ended, dial_ref};
        }
        if (report.kind == Kind::connected && !it->second.dropped) return {Action::connected, dial_ref};
        return {Action::drop, dial_ref};
    }
    // Waits that are over without a dialog: the referred call was never reported.
    std::erase_if(expected_, [&](const auto& entry) { return !entry.second.dialog && entry.second.until <= now; });
    if (report.kind != Kind::dialing || report.direction != Direction::outbound) return {};
    // The oldest wait first: map order is by ref, so pick the earliest deadline.
    auto chosen = expected_.end();
    for (auto it = expected_.begin(); it != expected_.end(); ++it) {
        if (it->second.dialog || !same_number(it->second.number, report.to.number)) continue;
        if (chosen == expected_.end() || it->second.until < chosen->second.until) chosen = it;
    }
    if (chosen == expected_.end()) return {};
    chosen->second.dialog = report.ref;
    return {Action::drop, chosen->first};
}

}  // namespace cti::sip
