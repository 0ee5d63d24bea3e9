// The calls ringing this user agent in ring-only mode: the PBX forks the extension's INVITEs
// to it as a parallel-ringing device. Each is answered 180 and popped; the agent may decline
// it; the PBX's CANCEL ends it as missed or answered elsewhere (RFC 3326 Reason). A final
// response is repeated to the INVITE's retransmissions until the ACK comes.
#pragma once

#include <map>
#include <memory>
#include <string>

#include <boost/asio/steady_timer.hpp>

#include "sip/user_agent.hpp"

namespace cti::sip {

class RingOnlyCalls {
public:
    explicit RingOnlyCalls(UserAgent& agent) : agent_(agent) {}

    void on_invite(const SipMessage& invite, const Endpoint& source);
    void on_cancel(const SipMessage& cancel, const Endpoint& source);
    void on_ack(const SipMessage& ack) { finished_.erase(ack.call_id()); }
    CommandOutcome decline(const std::string& ref);
    // On the way out: the PBX stops ringing this user agent now, not when its INVITEs time out.
    void stop();
    // The PBX is gone, and its calls with it (the core ends them as driver_lost).
    void clear();

private:
    struct RingingCall {
        SipMessage invite;
        Endpoint source;
        std::string to_tag;
    };
    // A call we sent a final response to, until the ACK or the answer's lifetime (64*T1).
    struct FinishedCall {
        std::string final_response;
        Endpoint source;
        std::unique_ptr<boost::asio::steady_timer> expiry;
    };
    using Ringing = std::map<std::string, RingingCall>;

    std::string ringing_response(const RingingCall& call) const;
    void report_offered(const std::string& ref, const SipMessage& invite);
    void finish(Ringing::iterator it, int status, const std::string& reason, EndReason end_reason);

    UserAgent& agent_;
    Ringing calls_;                                  // by Call-ID, the call's ref
    std::map<std::string, FinishedCall> finished_;  // by Call-ID
};

}  // namespace cti::sip
