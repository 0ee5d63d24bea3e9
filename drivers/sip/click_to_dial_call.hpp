// One click-to-dial call, made by third-party call control: the driver INVITEs the agent's
// phone (which answers by itself, told so by an auto-answer header), then REFERs it to the
// dialled number and follows the REFER's NOTIFYs (RFC 3515) to see how the phone's call goes.
//
// The control leg (the driver's dialog with the phone) stands for the call: the agent's hang-up
// sends BYE on it, and the phone's BYE after the call connected ends it.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <boost/asio/steady_timer.hpp>

#include "cti/call.hpp"
#include "sip/sip_dialog.hpp"
#include "sip/sip_message.hpp"

namespace cti::sip {

struct ClickToDialCall {
    enum class Stage {
        inviting,   // the INVITE to the agent's phone is on its way
        referring,  // the phone answered; the REFER is sent or accepted, no final NOTIFY yet
        connected,  // a NOTIFY said 2xx: the far end answered
        ended,      // reported ended to the core; only SIP clean-up (CANCEL, BYE) is left
    };

    ClickToDialCall(std::string ref_in, std::string number_in, SipDialog dialog_in)
        : ref(std::move(ref_in)), number(std::move(number_in)), dialog(std::move(dialog_in)) {}

    std::string ref;
    std::string number;
    SipDialog dialog;
    std::optional<SipMessage> invite;  // the INVITE as sent, for its CANCEL and failure ACK
    Stage stage = Stage::inviting;
    bool invite_pending = false;  // no final response to the INVITE yet
    bool cancel_sent = false;
    bool leg_up = false;              // the phone answered and the control leg is not hung up
    bool answered_challenge = false;  // the INVITE was re-sent with credentials once
    std::unique_ptr<boost::asio::steady_timer> answer_timer;
};

// How a call ends when a NOTIFY's sipfrag gives the referred call a final failure status:
// 486/600 busy, 603 rejected, 487 normal (the phone itself gave up), anything else failed.
EndReason referred_call_end_reason(int status);

// How a call ends when the agent's phone refuses the control INVITE: 486/600/603 rejected (the
// agent turned it down at the phone), anything else (480, 408, 404, 487 after the answer
// timeout, ...) failed.
EndReason phone_refusal_end_reason(int status);

// An SDP offer with no media flowing (RFC 3264 "inactive", discard port): the control leg only
// exists to be transferred, so the phone must not wait for audio from the adapter.
std::string inactive_sdp_offer(const std::string& local_address);

}  // namespace cti::sip
