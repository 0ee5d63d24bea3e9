// Notices that the PBX may have lost the dialog subscription (monitor mode), from signals a real
// PBX gives, and says what the driver should do about it. No SIP here: the driver feeds it
// what it saw (an answer's status, a NOTIFY's version, how a keepalive went) and carries out
// the verdict.
//
// A PBX that restarts forgets its subscriptions (most keep them in memory only) and says so to
// nobody. What shows it:
//  * a refresh inside the subscription's dialog is answered 481 (RFC 6665 4.1.2.2) or refused;
//  * the NOTIFY a notifier owes after accepting a SUBSCRIBE (RFC 6665 4.2.1.2) never comes;
//  * a partial dialog-info document whose version skips or goes back (RFC 4235 4.1: a
//    notifier that counts again from 0, or a NOTIFY that was lost);
//  * the registrar was away for a moment: its keepalive answer came only after a resend;
//  * the registrar forgot the nonce it accepted before (a fresh challenge without stale=true).
// The first two mean the subscription is gone: subscribe anew. The others are hints: refresh
// it now, and the answer tells. No NOTIFY for a long time is a hint too: the driver refreshes
// then (see SipSettings::subscription_check_ms), which makes the PBX answer and notify.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cti::sip {

class SubscriptionWatch {
public:
    enum class Action {
        none,
        check,        // refresh the subscription inside its dialog now: its answer tells
        resubscribe,  // the subscription is gone: a new one, at once
    };
    struct Verdict {
        Action action = Action::none;
        std::string reason;  // for the status detail and the log ("" for none)
    };

    // A new subscription (a new dialog) is on its way: not confirmed until its first NOTIFY.
    void started();
    // A SUBSCRIBE (new or refresh) went out: the PBX owes a NOTIFY once it accepts it.
    void sent();
    // The PBX accepted the SUBSCRIBE. True when its NOTIFY is still owed (the driver then
    // waits for it, at most a transaction timeout, and calls notify_overdue()).
    bool accepted();
    // A NOTIFY of the subscription, with the version of its dialog-info document (nullopt when
    // the body is none) and whether that document is full or partial.
    Verdict notified(std::optional<unsigned long> version, bool full);
    // The owed NOTIFY did not come.
    Verdict notify_overdue() const;
    // The answer to a refresh inside the subscription's dialog (nullopt: none came).
    static Verdict refresh_answered(std::optional<int> status);
    // The registrar answered the keepalive; `resent`: only after it was sent again.
    static Verdict keepalive_answered(bool resent);
    // The registrar challenged a request that carried the credentials it had accepted.
    static Verdict rechallenged(bool stale);
    // A NOTIFY ended the subscription (`subscription_state`: its Subscription-State value,
    // "terminated;reason=..."). RFC 6665 4.1.3: after "deactivated" (the notifier moved or
    // restarts its subscriptions) and "timeout" a new subscription may go out at once: resubscribe.
    // Any other reason (rejected, noresource, probation, giveup, none): none, and the driver
    // subscribes again only after its backoff.
    static Verdict terminated(std::string_view subscription_state);

    // A NOTIFY of the current subscription has arrived since it was started.
    bool confirmed() const { return confirmed_; }
    bool awaiting_notify() const { return owed_; }

private:
    bool confirmed_ = false;
    bool notified_since_sent_ = false;
    bool owed_ = false;
    std::optional<unsigned long> version_;
};

}  // namespace cti::sip
