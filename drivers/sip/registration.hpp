// The agent's registration at the PBX: REGISTER with digest authentication, refreshed at half
// the granted time, an OPTIONS keepalive to notice a PBX that went away, and the unregistration
// on the way out.
//
// Ring-only mode registers a contact: the PBX must fork the extension's calls to it. Monitor
// mode must not: a forking PBX would ring the adapter next to the deskphone, and the adapter's
// refusal could end the call. Its REGISTER carries no Contact, a binding query (RFC 3261
// 10.2.3) that still proves the credentials and that the PBX is there.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include <boost/asio/steady_timer.hpp>

#include "sip/subscription_watch.hpp"
#include "sip/user_agent.hpp"

namespace cti::sip {

class Registration {
public:
    struct Events {
        std::function<void()> registered;                     // granted, or refreshed
        std::function<void(const std::string& reason)> lost;  // refused, or the PBX is gone
        // The PBX answered a keepalive, or challenged credentials it knew: hints that it may
        // have restarted, for the dialog subscription to check.
        std::function<void(const SubscriptionWatch::Verdict&)> hint;
    };

    Registration(UserAgent& agent, Events events);

    // Registers `contact_uri` (the transport's current address), or queries the bindings.
    void start(const std::string& contact_uri);
    // Registers again with the same contact (after a failure, on the same transport).
    void retry() { register_now(); }
    bool registered() const { return registered_; }
    // The registration is gone: its timers stop, the challenge is forgotten.
    void reset();
    // On the way out: `answered` runs on the registrar's final answer (or the transaction's
    // timeout). False when there is nothing to unregister.
    bool unregister(std::function<void()> answered);
    void stop();

private:
    void register_now();
    void on_response(const SipMessage* response);
    void on_challenge(const SipMessage& response);
    void granted(long expires_s);
    void schedule_keepalive();
    SipMessage request();

    UserAgent& agent_;
    Events events_;
    std::string contact_uri_;  // ours, to find our binding in the registrar's answer
    const std::string call_id_;
    const std::string tag_;
    unsigned long cseq_ = 0;
    bool answered_challenge_ = false;
    bool registered_ = false;
    std::optional<SubscriptionWatch::Verdict> pending_hint_;  // for once it is granted again
    boost::asio::steady_timer refresh_timer_;
    boost::asio::steady_timer keepalive_timer_;
};

}  // namespace cti::sip
