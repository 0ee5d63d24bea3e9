// Click-to-dial by third-party call control (ClickToDialCall): the driver INVITEs the agent's
// phone with an auto-answer header, REFERs it to the number once it answers, and follows the
// REFER's NOTIFYs (RFC 3515) to see how the phone's call goes. In monitor mode the PBX's dialog
// events also describe the call the REFER makes the phone place: ReferredCalls ties it to the
// click-to-dial call, so one dial is one call to the agent.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <string_view>

#include "sip/click_to_dial_call.hpp"
#include "sip/referred_calls.hpp"
#include "sip/user_agent.hpp"

namespace cti::sip {

class ClickToDialCalls {
public:
    explicit ClickToDialCalls(UserAgent& agent);

    CommandOutcome dial(const DriverCommand& command);
    CommandOutcome hang_up(const std::string& ref);

    // Whether `call_id` is one of the control legs (a forking PBX offers them back to this
    // user agent; the PBX's dialog events describe them too).
    bool owns(const std::string& call_id) const { return calls_.contains(call_id); }
    // A NOTIFY of a REFER's implicit subscription; false when it is about none of the calls.
    bool on_notify(const SipMessage& notify, const Endpoint& source);
    // A BYE; false when it is about none of the control legs.
    bool on_bye(const SipMessage& bye, const Endpoint& source);
    // A response whose transaction is over: a retransmitted final answer to an INVITE still
    // needs its ACK, or the phone keeps sending it.
    void on_stray_response(const SipMessage& response);
    // One of the PBX's dialog reports (monitor mode): true when it is about one of the calls
    // (a control leg, or the phone's call to the dialled number), which then follows it.
    bool takes(const CallReport& report);
    // The PBX's dialog events were lost: the referred calls will not be reported any more.
    void forget_referred() { referred_.clear(); }
    // On the way out: BYE or CANCEL each control leg, without waiting for the answers.
    void stop();
    // The PBX is gone, and the calls with it (the core ends them as driver_lost).
    void clear();

private:
    void send_invite(ClickToDialCall& call, const SipMessage* challenge_response = nullptr);
    void report_dialing(const ClickToDialCall& call);
    void on_phone_answer(const std::string& call_id, const SipMessage* response);
    void on_phone_refusal(ClickToDialCall& call, const SipMessage& response);
    void on_phone_silent(const std::string& call_id);
    void on_refer_answer(const std::string& call_id, const SipMessage* response);
    void on_refer_notify(ClickToDialCall& call, const SipMessage& notify, const Endpoint& source);
    void follow_referred(const ReferredCalls::Route& route, const CallReport& report);
    void end(ClickToDialCall& call, EndReason reason, std::string_view detail = {});
    void release_leg(ClickToDialCall& call);
    void forget(const std::string& call_id);
    ClickToDialCall* by_ref(const std::string& ref);
    void report(const std::string& ref, CallReport::Kind kind, EndReason reason = EndReason::normal,
                std::string detail = {});

    UserAgent& agent_;
    std::map<std::string, ClickToDialCall> calls_;  // by the control leg's Call-ID
    ReferredCalls referred_;
};

}  // namespace cti::sip
