#include "sip/dialog_subscription.hpp"

#include <algorithm>
#include <optional>
#include <utility>

#include "sip/credentials.hpp"
#include "sip/dialog_info.hpp"

namespace cti::sip {

DialogSubscription::DialogSubscription(UserAgent& agent, Events events)
    : agent_(agent),
      events_(std::move(events)),
      subscribe_timer_(agent.strand()),
      notify_timer_(agent.strand()),
      check_timer_(agent.strand()) {}

void DialogSubscription::registered() {
    if (state_.active || state_.pending) return;
    agent_.report_status(DriverState::connecting, agent_.registered_text() + "; subscribing to its dialog events");
    subscribe();
}

void DialogSubscription::subscribe() {
    const auto& settings = agent_.settings();
    auto& sub = state_;
    if (sub.call_id.empty()) {
        sub.call_id = random_token() + "@cti-adapter";
        sub.local_tag = random_token(8);
        watch_.started();
        monitor_.new_subscription();
    } else {
        watch_.sent();
    }
    // A refresh goes inside the subscription's dialog; the first SUBSCRIBE to the AOR.
    const bool refresh = !sub.remote_tag.empty();
    const auto uri = refresh ? sub.remote_target : settings.aor();
    auto to = "<" + settings.aor() + ">" + (refresh ? ";tag=" + sub.remote_tag : "");
    auto request = agent_.new_request("SUBSCRIBE", uri, to, sub.call_id, sub.local_tag, ++sub.cseq);
    for (const auto& route : sub.route_set) request.add_header("Route", route);
    request.add_header("Event", "dialog");
    request.add_header("Accept", "application/dialog-info+xml");
    request.add_header("Expires", std::to_string(settings.subscribe_expires_s));
    agent_.credentials().authorize(request, "SUBSCRIBE", uri);
    sub.pending = true;
    agent_.send_request(request, [this, call_id = sub.call_id, refresh](const SipMessage* response) {
        // A subscription given up meanwhile (the registration was lost) is not revived.
        if (call_id == state_.call_id) on_subscribe_response(response, refresh);
    });
}

void DialogSubscription::on_subscribe_response(const SipMessage* response, bool refresh) {
    const auto& settings = agent_.settings();
    auto& sub = state_;
    sub.pending = false;
    // A refresh that fails says the PBX lost the subscription (a 481 after a restart): a new
    // one goes out at once. A first SUBSCRIBE that fails is retried with the backoff.
    if (refresh && (!response || (response->status() >= 300 && response->status() != 401 &&
                                  response->status() != 407)))
        return follow(SubscriptionWatch::refresh_answered(
            response ? std::optional<int>(response->status()) : std::nullopt));
    if (!response) return failed("the PBX does not answer the dialog subscription");
    const int status = response->status();
    if ((status == 401 || status == 407) && !sub.answered_challenge) {
        sub.answered_challenge = true;
        agent_.credentials().adopt(response->challenge());
        if (agent_.credentials().challenged()) return subscribe();
    }
    if (status >= 300)
        return failed("the PBX refused the dialog subscription to " + settings.aor() + ": " +
                      std::to_string(status) + " " + response->reason());
    sub.answered_challenge = false;
    learn_dialog(response->to_tag(), *response, true);
    sub.active = true;
    if (watch_.accepted())
        agent_.after(notify_timer_, settings.transaction_timeout_ms, [this] { follow(watch_.notify_overdue()); });
    if (!watch_.confirmed())
        agent_.report_status(DriverState::connecting, unconfirmed_text("waiting for the PBX's first NOTIFY"));
    const auto expires_s = response->expires().value_or(settings.subscribe_expires_s);
    agent_.after(subscribe_timer_, std::max<std::int64_t>(1000, expires_s * 1000 / 2), [this] { subscribe(); });
}

// The subscription's dialog as the PBX's first answer or NOTIFY establishes it.
void DialogSubscription::learn_dialog(const std::string& remote_tag, const SipMessage& message,
                                      bool from_response) {
    auto& sub = state_;
    if (!sub.remote_tag.empty() || remote_tag.empty()) return;
    sub.remote_tag = remote_tag;
    sub.remote_target = message.contact_uri();
    sub.route_set = message.record_routes();
    // A UAC reads Record-Route bottom-up (RFC 3261 12.1.2); a UAS top-down.
    if (from_response) std::reverse(sub.route_set.begin(), sub.route_set.end());
    if (sub.remote_target.empty()) sub.remote_target = agent_.settings().aor();
}

void DialogSubscription::failed(const std::string& reason) {
    reset();
    agent_.report_status(DriverState::disconnected, reason);
    if (agent_.registered())
        agent_.after(subscribe_timer_, agent_.backoff().next_ms(), [this] { subscribe(); });
}

void DialogSubscription::reset() {
    monitor_.reset();
    events_.dialogs_forgotten();
    forget();
}

void DialogSubscription::stop() {
    for (auto* timer : {&subscribe_timer_, &notify_timer_, &check_timer_}) timer->cancel();
}

void DialogSubscription::on_notify(const SipMessage& notify, const Endpoint& source) {
    auto& sub = state_;
    if (agent_.settings().ring_only() || notify.call_id() != sub.call_id || notify.to_tag() != sub.local_tag)
        return agent_.respond(notify, source, 481, "Subscription Does Not Exist");
    agent_.respond(notify, source, 200, "OK");
    learn_dialog(notify.from_tag(), notify, false);
    // A body that is not dialog-info is skipped: the next NOTIFY brings the state again.
    std::optional<DialogInfo> info;
    if (notify.header("Event").rfind("dialog", 0) == 0) info = parse_dialog_info(notify.body());
    const bool was_confirmed = watch_.confirmed();
    const auto verdict = watch_.notified(info ? std::optional(info->version) : std::nullopt, info && info->full);
    notify_timer_.cancel();
    schedule_check();
    if (!was_confirmed) {
        // The first NOTIFY of this subscription: only now is the PBX known to watch for us.
        agent_.backoff().reset();
        resubscribed_ = 0;
        agent_.report_status(DriverState::connected, agent_.registered_text() + "; watching its dialog events");
    }
    if (info)
        for (auto& report : monitor_.apply(*info)) events_.dialog_changed(std::move(report));
    if (const auto state = notify.header("Subscription-State"); state.rfind("terminated", 0) == 0) {
        const auto ended = SubscriptionWatch::terminated(state);
        if (ended.action == SubscriptionWatch::Action::resubscribe) return resubscribe(ended.reason);
        return failed("the PBX ended the dialog subscription to " + agent_.settings().aor());
    }
    follow(verdict);
}

void DialogSubscription::follow(const SubscriptionWatch::Verdict& verdict) {
    using Action = SubscriptionWatch::Action;
    if (verdict.action == Action::check) check(verdict.reason);
    if (verdict.action == Action::resubscribe) resubscribe(verdict.reason);
}

// A hint that the PBX may have lost the subscription: a refresh inside its dialog now, whose
// answer tells (a 481 when it is gone).
void DialogSubscription::check(const std::string& reason) {
    const auto& sub = state_;
    if (agent_.settings().ring_only() || !agent_.registered() || sub.pending || sub.remote_tag.empty()) return;
    check_reason_ = reason;
    subscribe();
}

// The subscription is gone: a new one at once (the next ones, should they fail the same way,
// with the backoff). The driver reports connecting until its first NOTIFY; the calls stay, and
// that NOTIFY's full document says which are still there.
void DialogSubscription::resubscribe(const std::string& reason) {
    forget();
    const auto why = check_reason_.empty() ? reason : check_reason_ + "; " + reason;
    check_reason_.clear();
    agent_.report_status(DriverState::connecting, unconfirmed_text(why + "; subscribing again"));
    agent_.after(subscribe_timer_, resubscribed_++ == 0 ? 0 : agent_.backoff().next_ms(), [this] {
        // A REGISTER answered meanwhile may have subscribed already.
        if (agent_.registered() && state_.call_id.empty()) subscribe();
    });
}

void DialogSubscription::schedule_check() {
    check_reason_.clear();
    const auto check_ms = agent_.settings().subscription_check_ms;
    if (check_ms == 0) return;
    agent_.after(check_timer_, check_ms,
                 [this, check_ms] { check("no dialog NOTIFY for " + std::to_string(check_ms / 1000) + " s"); });
}

void DialogSubscription::forget() {
    state_ = {};
    stop();
}

std::string DialogSubscription::unconfirmed_text(const std::string& why) const {
    return agent_.registered_text() + "; dialog subscription not confirmed: " + why;
}

}  // namespace cti::sip
