// The dialog event subscription to the agent's AOR (monitor mode, RFC 4235 over RFC 6665): the
// SUBSCRIBE and its refreshes, the NOTIFYs with their dialog-info documents (DialogMonitor turns
// them into call reports), and noticing a subscription the PBX lost (SubscriptionWatch): a
// refresh answered 481, a NOTIFY that never came, a version gap, a hint from the registration.
// The driver reports `connecting` until the first NOTIFY of a subscription confirms it.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <boost/asio/steady_timer.hpp>

#include "sip/dialog_monitor.hpp"
#include "sip/subscription_watch.hpp"
#include "sip/user_agent.hpp"

namespace cti::sip {

class DialogSubscription {
public:
    struct Events {
        // What one NOTIFY says changed, a report a call.
        std::function<void(CallReport report)> dialog_changed;
        // The dialogs were forgotten with the subscription: their ends will not be reported.
        std::function<void()> dialogs_forgotten;
    };

    DialogSubscription(UserAgent& agent, Events events);

    // The registration was granted: subscribe, unless a subscription is there or on its way.
    void registered();
    // A NOTIFY of this subscription (the line sent the REFER subscriptions' elsewhere).
    void on_notify(const SipMessage& notify, const Endpoint& source);
    // What to do on a hint that the PBX may have lost the subscription.
    void follow(const SubscriptionWatch::Verdict& verdict);
    // The registration is gone: the subscription and its dialogs with it.
    void reset();
    void stop();

private:
    void subscribe();
    void on_subscribe_response(const SipMessage* response, bool refresh);
    void learn_dialog(const std::string& remote_tag, const SipMessage& message, bool from_response);
    void failed(const std::string& reason);
    void check(const std::string& reason);
    void resubscribe(const std::string& reason);
    void schedule_check();
    void forget();
    std::string unconfirmed_text(const std::string& why) const;

    struct State {
        std::string call_id;
        std::string local_tag;
        std::string remote_tag;     // known once the PBX answered or notified
        std::string remote_target;  // the PBX's Contact: where refreshes go
        std::vector<std::string> route_set;
        unsigned long cseq = 0;
        bool pending = false;  // a SUBSCRIBE is on its way
        bool active = false;   // the PBX accepted it
        bool answered_challenge = false;
    };

    UserAgent& agent_;
    Events events_;
    State state_;
    DialogMonitor monitor_;
    SubscriptionWatch watch_;
    std::string check_reason_;  // why the refresh on its way was sent early
    unsigned resubscribed_ = 0;  // new subscriptions since the last confirmed one
    boost::asio::steady_timer subscribe_timer_;
    boost::asio::steady_timer notify_timer_;  // the NOTIFY owed after an accepted SUBSCRIBE
    boost::asio::steady_timer check_timer_;   // no NOTIFY for subscription_check_ms: refresh
};

}  // namespace cti::sip
