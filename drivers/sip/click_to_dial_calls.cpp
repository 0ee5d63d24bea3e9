#include "sip/click_to_dial_calls.hpp"

#include <algorithm>
#include <memory>
#include <utility>

#include "cti/end_detail.hpp"
#include "sip/credentials.hpp"
#include "sip/sipfrag.hpp"

namespace cti::sip {
namespace {

// How long after its REFER a click-to-dial call waits for the PBX to report the phone's call to
// the number (monitor mode). Kamailio reports it within a second of the REFER; a PBX that never
// does must not keep the wait open for a later call of the agent's own (64*T1, as a transaction).
constexpr std::chrono::milliseconds referred_window{64 * t1_ms};

}  // namespace

ClickToDialCalls::ClickToDialCalls(UserAgent& agent) : agent_(agent), referred_(referred_window) {}

CommandOutcome ClickToDialCalls::dial(const DriverCommand& command) {
    if (agent_.state() != DriverState::connected)
        return fail(ErrorKind::unavailable, "not registered to the PBX: " + agent_.status_detail());
    const auto& settings = agent_.settings();
    const auto call_id = random_token() + "@cti-adapter";
    // The phone shows the number it is about to call as the caller of the control leg.
    SipDialog dialog(call_id, "\"" + command.number + "\" <" + settings.aor() + ">", settings.click_to_dial.phone_uri);
    auto& call = calls_.try_emplace(call_id, command.ref, command.number, std::move(dialog)).first->second;
    call.answer_timer = std::make_unique<boost::asio::steady_timer>(agent_.strand());
    agent_.after(*call.answer_timer, settings.click_to_dial.answer_timeout_ms,
                 [this, call_id] { on_phone_silent(call_id); });
    report_dialing(call);
    send_invite(call);
    return CommandReply{};
}

void ClickToDialCalls::send_invite(ClickToDialCall& call, const SipMessage* challenge_response) {
    const auto& config = agent_.settings().click_to_dial;
    const auto& local = agent_.agent();
    auto invite = call.dialog.request("INVITE", local);
    if (!config.auto_answer_name.empty()) invite.add_header(config.auto_answer_name, config.auto_answer_value);
    invite.add_header("Allow", allowed_methods);
    invite.set_body("application/sdp", inactive_sdp_offer(local.sent_by.substr(0, local.sent_by.rfind(':'))));
    // A PBX that authenticates calls challenges the INVITE (401/407): answered once.
    if (challenge_response)
        agent_.credentials().authorize(invite, "INVITE", config.phone_uri, *challenge_response->challenge());
    call.invite = invite.clone();
    call.invite_pending = true;
    agent_.send_request(invite, [this, call_id = call.dialog.call_id()](const SipMessage* response) {
        on_phone_answer(call_id, response);
    });
}

void ClickToDialCalls::report_dialing(const ClickToDialCall& call) {
    CallReport dialing;
    dialing.kind = CallReport::Kind::dialing;
    dialing.ref = call.ref;
    dialing.direction = Direction::outbound;
    dialing.from = {agent_.settings().line_number, agent_.settings().display_name};
    dialing.to = {call.number, ""};
    agent_.report_call(std::move(dialing));
}

void ClickToDialCalls::on_phone_answer(const std::string& call_id, const SipMessage* response) {
    auto it = calls_.find(call_id);
    if (it == calls_.end()) return;  // lost with the registration meanwhile
    auto& call = it->second;
    call.invite_pending = false;
    if (!response) {
        // No answer at all: the PBX is not passing it on.
        end(call, EndReason::failed, "the PBX did not pass the call on to your phone");
        return forget(call_id);
    }
    if (response->status() >= 300) return on_phone_refusal(call, *response);
    call.dialog.establish(*response);
    call.leg_up = true;
    call.answer_timer->cancel();
    agent_.send(call.dialog.ack(agent_.agent()).to_string(), agent_.registrar());
    if (call.stage == ClickToDialCall::Stage::ended) return release_leg(call);  // hung up meanwhile
    call.stage = ClickToDialCall::Stage::referring;
    const auto& settings = agent_.settings();
    const auto target = "sip:" + call.number + "@" + settings.click_to_dial.target_domain;
    auto refer = call.dialog.refer(agent_.agent(), target, settings.aor());
    agent_.send_request(refer, [this, call_id](const SipMessage* answer) { on_refer_answer(call_id, answer); });
    // In monitor mode the PBX also reports the call the REFER makes the phone place: that call
    // is this one (ReferredCalls), not a second call.
    if (!settings.ring_only()) referred_.expect(call.ref, call.number, std::chrono::steady_clock::now());
}

void ClickToDialCalls::on_phone_refusal(ClickToDialCall& call, const SipMessage& response) {
    const int status = response.status();
    agent_.send(call.invite->failure_ack(response).to_string(), agent_.registrar());
    const bool challenged = status == 401 || status == 407;
    if (challenged && !call.answered_challenge && call.stage != ClickToDialCall::Stage::ended &&
        response.challenge()) {
        call.answered_challenge = true;
        return send_invite(call, &response);
    }
    // After the agent hung up (a CANCEL, 487) the call was reported ended already.
    end(call, phone_refusal_end_reason(status),
        "your phone refused the call that places the dial: " + std::to_string(status) + " " + response.reason());
    const auto call_id = call.dialog.call_id();  // a copy: the call goes away with it
    forget(call_id);
}

// The phone did not answer within answer_timeout_ms: give up on it.
void ClickToDialCalls::on_phone_silent(const std::string& call_id) {
    auto it = calls_.find(call_id);
    if (it == calls_.end() || !it->second.invite_pending) return;
    end(it->second, EndReason::failed,
        "your phone did not answer within " + std::to_string(agent_.settings().click_to_dial.answer_timeout_ms / 1000) +
            " s");
    release_leg(it->second);
}

void ClickToDialCalls::on_refer_answer(const std::string& call_id, const SipMessage* response) {
    auto it = calls_.find(call_id);
    if (it == calls_.end() || (response && response->status() < 300)) return;
    // The phone cannot or will not transfer: the number is never dialled.
    end(it->second, EndReason::failed,
        response ? "your phone refused to dial the number: " + std::to_string(response->status()) + " " +
                       response->reason()
                 : "your phone did not answer the request to dial the number");
    release_leg(it->second);
}

bool ClickToDialCalls::on_notify(const SipMessage& notify, const Endpoint& source) {
    auto it = calls_.find(notify.call_id());
    if (it == calls_.end()) return false;
    on_refer_notify(it->second, notify, source);
    return true;
}

// A NOTIFY of the REFER's implicit subscription: the referred call's progress as sipfrag.
void ClickToDialCalls::on_refer_notify(ClickToDialCall& call, const SipMessage& notify, const Endpoint& source) {
    if (notify.to_tag() != call.dialog.local_tag())
        return agent_.respond(notify, source, 481, "Subscription Does Not Exist");
    agent_.respond(notify, source, 200, "OK");
    if (call.stage != ClickToDialCall::Stage::referring && call.stage != ClickToDialCall::Stage::connected) return;
    // A body that is not a sipfrag status line is skipped: the next NOTIFY says it again.
    const auto progress = sipfrag_status(notify.body());
    const int status = progress ? progress->code : 0;
    if (status >= 200 && status < 300 && call.stage == ClickToDialCall::Stage::referring) {
        call.stage = ClickToDialCall::Stage::connected;
        report(call.ref, CallReport::Kind::connected);
    } else if (status >= 300) {
        // The far end's own status line, "486 Busy Here", is what the agent should read.
        end(call, referred_call_end_reason(status), progress->line);
        return release_leg(call);
    }
    const bool over = notify.header("Subscription-State").rfind("terminated", 0) == 0;
    // With the phone's own dialog of the call in view, that dialog says how it goes on.
    if (over && call.stage == ClickToDialCall::Stage::referring && !referred_.bound_dialog(call.ref)) {
        end(call, EndReason::failed, "your phone stopped reporting the call before it was answered");
        release_leg(call);
    }
}

bool ClickToDialCalls::on_bye(const SipMessage& bye, const Endpoint& source) {
    auto it = calls_.find(bye.call_id());
    if (it == calls_.end() || bye.to_tag() != it->second.dialog.local_tag()) return false;
    agent_.respond(bye, source, 200, "OK");
    auto& call = it->second;
    call.leg_up = false;
    // While the REFER's outcome is open its subscription outlives the control leg (RFC 5057).
    if (call.stage == ClickToDialCall::Stage::referring) return true;
    // A phone that leaves the control leg once the transfer is done: the call goes on, in the
    // phone's dialog of the referred call, whose end ends it.
    if (referred_.bound_dialog(call.ref)) return true;
    end(call, EndReason::normal);
    forget(bye.call_id());
    return true;
}

void ClickToDialCalls::on_stray_response(const SipMessage& response) {
    auto it = calls_.find(response.call_id());
    if (it == calls_.end() || response.method() != "INVITE" || response.status() < 200) return;
    auto& call = it->second;
    if (response.status() < 300 && call.dialog.established())
        agent_.send(call.dialog.ack(agent_.agent()).to_string(), agent_.registrar());
    else if (response.status() >= 300 && call.invite)
        agent_.send(call.invite->failure_ack(response).to_string(), agent_.registrar());
}

CommandOutcome ClickToDialCalls::hang_up(const std::string& ref) {
    auto* call = by_ref(ref);
    if (!call || call->stage == ClickToDialCall::Stage::ended)
        return fail(ErrorKind::not_found,
                                       "the SIP driver can only hang up calls it dialled; '" + ref + "' is not one");
    if (auto refusal = referred_.hang_up_refusal(ref)) return fail(ErrorKind::unsupported, std::move(*refusal));
    end(*call, EndReason::normal);
    release_leg(*call);
    return CommandReply{};
}

bool ClickToDialCalls::takes(const CallReport& report) {
    // The phone's side of a control leg is that call already.
    if (calls_.contains(report.ref)) return true;
    const auto route = referred_.route(report, std::chrono::steady_clock::now());
    if (route.action == ReferredCalls::Route::Action::pass) return false;
    follow_referred(route, report);
    return true;
}

// One of the monitor's reports about the phone's dialog of a referred call: it is the
// click-to-dial call's progress.
void ClickToDialCalls::follow_referred(const ReferredCalls::Route& route, const CallReport& dialog) {
    using Action = ReferredCalls::Route::Action;
    auto* call = by_ref(route.dial_ref);
    if (!call) return;
    if (route.action == Action::connected && call->stage == ClickToDialCall::Stage::referring) {
        call->stage = ClickToDialCall::Stage::connected;
        report(call->ref, CallReport::Kind::connected);
    } else if (route.action == Action::ended) {
        end(*call, dialog.reason, dialog.detail);
        release_leg(*call);  // the control leg, if the phone has not left it already
    }
}

// Reports the call ended, once; the SIP clean-up may go on.
void ClickToDialCalls::end(ClickToDialCall& call, EndReason reason, std::string_view detail) {
    if (call.stage == ClickToDialCall::Stage::ended) return;
    call.stage = ClickToDialCall::Stage::ended;
    report(call.ref, CallReport::Kind::ended, reason, end_detail(detail));
}

// Takes the control leg down: BYE once it is up, CANCEL while the INVITE is pending (the final
// answer then forgets the call), else nothing is left.
void ClickToDialCalls::release_leg(ClickToDialCall& call) {
    const auto call_id = call.dialog.call_id();
    if (call.leg_up) {
        call.leg_up = false;
        auto bye = call.dialog.request("BYE", agent_.agent());
        return agent_.send_request(bye, [this, call_id](const SipMessage*) { forget(call_id); });
    }
    if (call.invite_pending) {
        if (!call.cancel_sent) agent_.send(call.invite->cancel().to_string(), agent_.registrar());
        call.cancel_sent = true;
        // The 487 ends the INVITE; should it never come, the call is forgotten anyway.
        return agent_.after(*call.answer_timer, 64 * t1_ms, [this, call_id] { forget(call_id); });
    }
    forget(call_id);
}

void ClickToDialCalls::stop() {
    for (auto& [call_id, call] : calls_) {
        if (call.leg_up)
            agent_.send(call.dialog.request("BYE", agent_.agent()).to_string(), agent_.registrar());
        else if (call.invite_pending && call.invite)
            agent_.send(call.invite->cancel().to_string(), agent_.registrar());
    }
    clear();
}

void ClickToDialCalls::clear() {
    calls_.clear();
    referred_.clear();
}

void ClickToDialCalls::forget(const std::string& call_id) {
    auto it = calls_.find(call_id);
    if (it == calls_.end()) return;
    referred_.forget(it->second.ref);
    calls_.erase(it);
}

ClickToDialCall* ClickToDialCalls::by_ref(const std::string& ref) {
    auto it = std::find_if(calls_.begin(), calls_.end(), [&](const auto& entry) { return entry.second.ref == ref; });
    return it == calls_.end() ? nullptr : &it->second;
}

void ClickToDialCalls::report(const std::string& ref, CallReport::Kind kind, EndReason reason, std::string detail) {
    CallReport update;
    update.kind = kind;
    update.ref = ref;
    update.reason = reason;
    update.detail = std::move(detail);
    agent_.report_call(std::move(update));
}

}  // namespace cti::sip
