#include "sip/registration.hpp"

#include <algorithm>
#include <chrono>
#include <utility>

#include "sip/credentials.hpp"

namespace cti::sip {

Registration::Registration(UserAgent& agent, Events events)
    : agent_(agent),
      events_(std::move(events)),
      call_id_(random_token() + "@cti-adapter"),
      tag_(random_token(8)),
      refresh_timer_(agent.strand()),
      keepalive_timer_(agent.strand()) {}

void Registration::start(const std::string& contact_uri) {
    contact_uri_ = contact_uri;
    register_now();
}

void Registration::reset() {
    registered_ = false;
    answered_challenge_ = false;
    pending_hint_.reset();
    agent_.credentials().forget();
    refresh_timer_.cancel();
    keepalive_timer_.cancel();
}

void Registration::stop() {
    refresh_timer_.cancel();
    keepalive_timer_.cancel();
}

void Registration::register_now() {
    auto message = request();
    message.add_header("Expires", std::to_string(agent_.settings().expires_s));
    agent_.credentials().authorize(message, "REGISTER", agent_.settings().registrar_uri());
    agent_.send_request(message, [this](const SipMessage* response) { on_response(response); });
}

void Registration::on_response(const SipMessage* response) {
    if (!response) return events_.lost("the registrar " + agent_.registrar_text() + " does not answer");
    const int status = response->status();
    if (status == 401 || status == 407) return on_challenge(*response);
    if (status >= 300)
        return events_.lost("the registrar refused the registration: " + std::to_string(status) + " " +
                            response->reason());
    answered_challenge_ = false;
    granted(response->expires(contact_uri_).value_or(agent_.settings().expires_s));
}

void Registration::on_challenge(const SipMessage& response) {
    const auto& settings = agent_.settings();
    auto challenge = response.challenge();
    // A second challenge right after an answered one means wrong credentials, unless the
    // registrar only says the nonce went stale.
    if (!challenge || (answered_challenge_ && !challenge->stale))
        return events_.lost("the registrar refused the credentials of '" + settings.auth_user + "' (" +
                            std::to_string(response.status()) + ")");
    // Credentials the registrar accepted before, challenged as unknown (not stale): it has
    // forgotten its nonces, as a restarted PBX does.
    // The hint waits for the registration to be granted again: a check sent now would only be
    // challenged too.
    if (agent_.credentials().challenged() && registered_)
        pending_hint_ = SubscriptionWatch::rechallenged(challenge->stale);
    agent_.credentials().adopt(std::move(challenge));
    answered_challenge_ = true;
    if (!agent_.credentials().can_answer("REGISTER", settings.registrar_uri()))
        return events_.lost("the registrar asks for an unsupported digest (only MD5, qop auth)");
    register_now();
}

void Registration::granted(long expires_s) {
    registered_ = true;
    // Refresh at half the granted time, so one lost refresh still leaves room to retry.
    agent_.after(refresh_timer_, std::max<std::int64_t>(1000, expires_s * 1000 / 2),
                 [this] { register_now(); });
    schedule_keepalive();
    events_.registered();
    if (pending_hint_) events_.hint(*std::exchange(pending_hint_, std::nullopt));
}

void Registration::schedule_keepalive() {
    const auto& settings = agent_.settings();
    if (settings.keepalive_ms == 0) return;
    agent_.after(keepalive_timer_, settings.keepalive_ms, [this] {
        const auto uri = agent_.settings().registrar_uri();
        auto options = agent_.new_request("OPTIONS", uri, "<" + uri + ">", random_token() + "@cti-adapter",
                                          random_token(8), 1);
        // Any final answer, even an error, shows the PBX is alive. One that came only after a
        // resend shows it was away for a moment: perhaps restarting.
        const auto sent_at = std::chrono::steady_clock::now();
        agent_.send_request(options, [this, sent_at](const SipMessage* response) {
            if (!response) return events_.lost("the registrar " + agent_.registrar_text() + " stopped answering");
            schedule_keepalive();
            const bool resent = !agent_.reliable_transport() &&
                                std::chrono::steady_clock::now() - sent_at >= std::chrono::milliseconds(t1_ms);
            events_.hint(SubscriptionWatch::keepalive_answered(resent));
        });
    });
}

bool Registration::unregister(std::function<void()> answered) {
    if (!registered_ || !agent_.settings().ring_only()) return false;
    auto message = request();
    message.add_header("Expires", "0");
    agent_.credentials().authorize(message, "REGISTER", agent_.settings().registrar_uri());
    agent_.send_request(message, [answered = std::move(answered)](const SipMessage*) { answered(); });
    return true;
}

SipMessage Registration::request() {
    const auto& settings = agent_.settings();
    auto message = agent_.new_request("REGISTER", settings.registrar_uri(), "<" + settings.aor() + ">",
                                      call_id_, tag_, ++cseq_);
    if (!settings.ring_only()) message.remove_contacts();
    return message;
}

}  // namespace cti::sip
