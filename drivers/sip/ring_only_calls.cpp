#include "sip/ring_only_calls.hpp"

#include <utility>

#include "cti/dial_string.hpp"
#include "sip/caller_identity.hpp"

namespace cti::sip {

void RingOnlyCalls::on_invite(const SipMessage& invite, const Endpoint& source) {
    const auto ref = invite.call_id();
    if (auto finished = finished_.find(ref); finished != finished_.end())
        return agent_.send(finished->second.final_response, source);
    if (auto ringing = calls_.find(ref); ringing != calls_.end())
        return agent_.send(ringing_response(ringing->second), source);
    if (!invite.to_tag().empty())  // a re-INVITE for a dialog we do not have
        return agent_.respond(invite, source, 481, "Call/Transaction Does Not Exist");
    if (!agent_.settings().ring_only() || agent_.state() != DriverState::connected)
        return agent_.respond(invite, source, 480, "Temporarily Unavailable");
    RingingCall call{invite.clone(), source, random_token(8)};
    agent_.send(ringing_response(call), source);
    report_offered(ref, invite);
    calls_.emplace(ref, std::move(call));
}

std::string RingOnlyCalls::ringing_response(const RingingCall& call) const {
    auto response = SipMessage::response(call.invite, 180, "Ringing", call.to_tag);
    response.add_header("Contact", agent_.agent().contact);
    return response.to_string();
}

void RingOnlyCalls::report_offered(const std::string& ref, const SipMessage& invite) {
    const auto& settings = agent_.settings();
    CallReport report;
    report.kind = CallReport::Kind::offered;
    report.ref = ref;
    report.direction = Direction::inbound;
    report.from = caller_of(invite);  // P-Asserted-Identity, else From
    report.to = {normalize_dial_string(invite.to().user).value_or(settings.line_number), settings.display_name};
    agent_.report_call(std::move(report));
}

void RingOnlyCalls::on_cancel(const SipMessage& cancel, const Endpoint& source) {
    auto it = calls_.find(cancel.call_id());
    if (it == calls_.end() || it->second.invite.branch() != cancel.branch())
        return agent_.respond(cancel, source, 481, "Call/Transaction Does Not Exist");
    agent_.respond(cancel, source, 200, "OK");
    // RFC 3326: "cause=200" in the CANCEL's Reason means another device took the call.
    const bool elsewhere = sip_reason_cause(cancel.header("Reason")) == 200;
    finish(it, 487, "Request Terminated", elsewhere ? EndReason::answered_elsewhere : EndReason::missed);
}

CommandOutcome RingOnlyCalls::decline(const std::string& ref) {
    auto it = calls_.find(ref);
    if (it == calls_.end()) return fail(ErrorKind::not_found, "no ringing SIP call '" + ref + "'");
    const int code = agent_.settings().decline_code;
    finish(it, code, code == 603 ? "Decline" : "Busy Here", EndReason::rejected);
    return CommandReply{};
}

// Sends the INVITE's final response and reports the call ended.
void RingOnlyCalls::finish(Ringing::iterator it, int status, const std::string& reason, EndReason end_reason) {
    const auto ref = it->first;
    auto response = SipMessage::response(it->second.invite, status, reason, it->second.to_tag);
    FinishedCall finished{response.to_string(), it->second.source,
                          std::make_unique<boost::asio::steady_timer>(agent_.strand())};
    agent_.send(finished.final_response, finished.source);
    agent_.after(*finished.expiry, 64 * t1_ms, [this, ref] { finished_.erase(ref); });
    finished_[ref] = std::move(finished);
    calls_.erase(it);
    CallReport report;
    report.kind = CallReport::Kind::ended;
    report.ref = ref;
    report.reason = end_reason;
    agent_.report_call(std::move(report));
}

void RingOnlyCalls::stop() {
    for (const auto& [ref, call] : calls_)
        agent_.send(SipMessage::response(call.invite, 480, "Temporarily Unavailable", call.to_tag).to_string(),
                    call.source);
    clear();
}

void RingOnlyCalls::clear() {
    calls_.clear();
    finished_.clear();
}

}  // namespace cti::sip
