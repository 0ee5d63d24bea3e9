// The SIP deskphone driver: a small SIP user agent next to the agent's deskphone.
//
// It registers to the PBX with the agent's extension (digest authentication, refresh before
// expiry, OPTIONS keepalive to notice a PBX that went away), then works in one of two modes:
//  * monitor: subscribes to the extension's dialog events (RFC 4235) and reports the calls the
//    PBX describes in its dialog-info NOTIFYs;
//  * ring_only: receives the extension's INVITEs as a parallel-ringing device: it rings (180),
//    pops the call, lets the agent decline it, and ends it as missed or answered elsewhere when
//    the PBX cancels it.
// With a `click_to_dial` section it also dials, by third-party call control: it INVITEs the
// agent's phone with an auto-answer header and REFERs it to the number (ClickToDialCall).
// Media always stays on the deskphone, so this driver never answers.
//
// SIP travels over UDP or one TCP connection to the registrar (SipTransport). All SIP state
// lives on the driver's own thread (one io_context): the transport, the client transactions
// and their timers, the registration, the ringing and the dialled calls. Commands from the
// core are posted there.
#include "sip/sip_driver.hpp"

#include <algorithm>
#include <array>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string_view>
#include <thread>
#include <utility>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "cti/dial_string.hpp"
#include "cti/end_detail.hpp"
#include "sip/backoff.hpp"
#include "sip/click_to_dial_call.hpp"
#include "sip/caller_identity.hpp"
#include "sip/dialog_monitor.hpp"
#include "sip/local_agent.hpp"
#include "sip/referred_calls.hpp"
#include "sip/sip_digest.hpp"
#include "sip/sip_message.hpp"
#include "sip/sip_settings.hpp"
#include "sip/sip_transport.hpp"
#include "sip/sipfrag.hpp"
#include "sip/subscription_watch.hpp"

namespace cti {
namespace {

namespace net = boost::asio;
using udp = net::ip::udp;
using sip::ClickToDialCall;
using sip::Endpoint;
using sip::SipMessage;
using sip::SipSettings;
using Milliseconds = std::chrono::milliseconds;

constexpr std::int64_t t1_ms = 500;   // RFC 3261 timer T1: first retransmission
constexpr std::int64_t t2_ms = 4000;  // RFC 3261 timer T2: retransmission interval cap
constexpr std::int64_t unregister_wait_ms = 1000;  // stop() waits at most this for the registrar
// How long after its REFER a click-to-dial call waits for the PBX to report the phone's call to
// the number (monitor mode). Kamailio reports it within a second of the REFER; a PBX that never
// does must not keep the wait open for a later call of the agent's own (64*T1, as a transaction).
constexpr std::int64_t referred_window_ms = 64 * t1_ms;
constexpr const char* allowed_methods = "INVITE, ACK, CANCEL, BYE, OPTIONS, NOTIFY";

// A request we sent and are waiting on: retransmitted over UDP until a final response or
// until the transaction timeout, when `done` gets nullptr. An INVITE stops both once a
// provisional response shows it arrived (its caller then decides how long to wait).
struct ClientTransaction {
    using Done = std::function<void(const SipMessage* final_response)>;
    std::string text;
    bool invite = false;
    Done done;
    std::int64_t interval_ms = t1_ms;
    std::unique_ptr<net::steady_timer> retransmit;
    std::unique_ptr<net::steady_timer> timeout;
};

// An INVITE ringing this user agent (ring-only mode).
struct RingingCall {
    SipMessage invite;
    Endpoint source;
    std::string to_tag;
};

// The dialog event subscription to the agent's AOR (monitor mode).
struct Subscription {
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

// A call we sent a final response to: INVITE retransmissions get the same answer again until
// the ACK comes (or the answer's lifetime, 64*T1, is over).
struct FinishedCall {
    std::string final_response;
    Endpoint source;
    std::unique_ptr<net::steady_timer> expiry;
};

class SipDriver final : public Driver {
public:
    explicit SipDriver(SipSettings settings)
        : settings_(std::move(settings)),
          backoff_(settings_.retry_initial_ms, settings_.retry_max_ms) {}
    ~SipDriver() override { stop(); }

    std::string_view name() const override { return "sip"; }

    Capabilities capabilities() const override {
        // Only ring-only mode sees the INVITE, so only there can a call be declined; only
        // with click-to-dial configured can it dial, and hang up what it dialled.
        const bool ring_only = settings_.ring_only();
        const bool dials = settings_.click_to_dial.enabled;
        if (ring_only && dials) return {Capability::decline, Capability::dial, Capability::hangup};
        if (dials) return {Capability::dial, Capability::hangup};
        if (ring_only) return {Capability::decline};
        return {};
    }

    void start(net::io_context&, DriverEvents& events) override {
        events_ = &events;
        report_status(DriverState::connecting, "looking up the registrar " + registrar_text());
        transport_ = sip::SipTransport::create(
            settings_.tcp(), io_,
            {
                [this](std::string_view text, const Endpoint& source) { on_message(text, source); },
                [this](const std::string& reason) { on_transport_lost(reason); },
            });
        thread_ = std::thread([this] { io_.run(); });
        net::post(io_, [this] { open_transport(); });
    }

    void stop() override {
        if (!thread_.joinable()) return;
        net::post(io_, [this] { begin_stopping(); });
        thread_.join();
    }

    void execute(DriverCommand command, CommandDone done) override {
        net::post(io_, [this, command = std::move(command), done = std::move(done)] {
            done(carry_out(command));
        });
    }

private:
    // ---- commands ----

    CommandOutcome carry_out(const DriverCommand& command) {
        using Kind = DriverCommand::Kind;
        if (command.kind == Kind::decline && settings_.ring_only()) return decline(command.ref);
        if (command.kind == Kind::dial && settings_.click_to_dial.enabled) return dial(command);
        if (command.kind == Kind::hangup && settings_.click_to_dial.enabled)
            return hang_up(command.ref);
        return CommandOutcome::failure("unsupported", "the SIP driver cannot do this");
    }

    CommandOutcome decline(const std::string& ref) {
        auto it = calls_.find(ref);
        if (it == calls_.end())
            return CommandOutcome::failure("no_such_call", "no ringing SIP call '" + ref + "'");
        const int code = settings_.decline_code;
        finish_call(it, code, code == 603 ? "Decline" : "Busy Here", EndReason::rejected);
        return CommandOutcome::success();
    }

    // ---- transport ----

    void open_transport() {
        boost::system::error_code error;
        if (!resolve_registrar(error)) return retry_open("cannot resolve " + registrar_text());
        auto local = settings_.local_address.empty()
                         ? route_to_registrar(error)
                         : net::ip::make_address(settings_.local_address, error);
        if (error)
            return retry_open("no local address routes to " + registrar_text() + ": " +
                              error.message());
        transport_->open(
            local, settings_.local_port, registrar_, [this](const std::string& problem) {
                if (!problem.empty()) return retry_open(problem);
                const auto local_end = transport_->local_endpoint();
                const auto sent_by =
                    local_end.address().to_string() + ":" + std::to_string(local_end.port());
                const auto params = settings_.tcp() ? ";transport=tcp" : "";
                agent_ = {std::string(transport_->via_name()), sent_by,
                          "<sip:" + settings_.user + "@" + sent_by + params + ">"};
                contact_uri_ = "sip:" + settings_.user + "@" + sent_by + params;
                register_now();
            });
    }

    bool resolve_registrar(boost::system::error_code& error) {
        auto address = net::ip::make_address(settings_.registrar_host, error);
        if (!error) {
            registrar_ = Endpoint(address, settings_.registrar_port);
            return true;
        }
        // A blocking lookup, on the driver's own thread: the core never waits for it.
        udp::resolver resolver(io_);
        auto results = resolver.resolve(udp::v4(), settings_.registrar_host,
                                        std::to_string(settings_.registrar_port), error);
        if (error || results.empty()) return false;
        registrar_ = results.begin()->endpoint();
        registrar_.port(settings_.registrar_port);
        return true;
    }

    // The local address the system would use to reach the registrar (for Via and Contact).
    net::ip::address route_to_registrar(boost::system::error_code& error) {
        udp::socket probe(io_);
        probe.open(udp::v4(), error);
        if (!error) probe.connect(registrar_, error);
        if (error) return {};
        return probe.local_endpoint(error).address();
    }

    void retry_open(const std::string& reason) {
        report_status(DriverState::disconnected, reason);
        after(retry_timer_, backoff_.next_ms(), [this] { open_transport(); });
    }

    void send(const std::string& text, const Endpoint& to) { transport_->send(text, to); }

    // TCP: the connection is gone, and every transaction on it with it (their answers cannot
    // come any more; waiting for their timeouts would only report the loss twice).
    void on_transport_lost(const std::string& reason) {
        if (stopping_) return finish_stopping();  // the unregistration's answer cannot come
        transactions_.clear();
        registration_failed(reason);
    }

    void on_message(std::string_view text, const Endpoint& source) {
        // Keepalive CRLFs and anything libosip2 refuses are skipped.
        auto message = SipMessage::parse(text);
        if (!message) return;
        if (message->is_request())
            on_request(*message, source);
        else
            on_response(*message);
    }

    // ---- client transactions ----

    // A new out-of-dialog request from the agent's AOR, with Via, Max-Forwards, From/To,
    // Call-ID, CSeq and Contact filled in.
    SipMessage new_request(const std::string& method, const std::string& uri, const std::string& to,
                           const std::string& call_id, const std::string& from_tag,
                           unsigned long cseq) {
        return agent_.request(method, uri, from_header() + ";tag=" + from_tag, to, call_id, cseq,
                              settings_.aor());
    }

    void send_request(const SipMessage& request, ClientTransaction::Done done) {
        auto transaction = std::make_unique<ClientTransaction>();
        transaction->text = request.to_string();
        transaction->invite = request.method() == "INVITE";
        transaction->done = std::move(done);
        transaction->retransmit = std::make_unique<net::steady_timer>(io_);
        transaction->timeout = std::make_unique<net::steady_timer>(io_);
        const auto branch = request.branch();
        send(transaction->text, registrar_);
        // A reliable transport delivers or reports the loss itself (RFC 3261 17.1.1.2).
        if (!transport_->reliable())
            after(*transaction->retransmit, transaction->interval_ms,
                  [this, branch] { retransmit(branch); });
        after(*transaction->timeout, settings_.transaction_timeout_ms, [this, branch] {
            finish_transaction(branch, nullptr);
        });
        transactions_[branch] = std::move(transaction);
    }

    void retransmit(const std::string& branch) {
        auto it = transactions_.find(branch);
        if (it == transactions_.end()) return;
        auto& transaction = *it->second;
        send(transaction.text, registrar_);
        transaction.interval_ms = std::min(transaction.interval_ms * 2, t2_ms);
        after(*transaction.retransmit, transaction.interval_ms, [this, branch] { retransmit(branch); });
    }

    void on_response(const SipMessage& response) {
        auto it = transactions_.find(response.branch());
        if (it == transactions_.end()) return on_stray_response(response);
        if (response.status() >= 200) return finish_transaction(response.branch(), &response);
        if (!it->second->invite) return;  // provisional: keep waiting
        // The INVITE arrived: no more retransmissions, and its caller's timer decides how long
        // the phone may ring.
        it->second->retransmit->cancel();
        it->second->timeout->cancel();
    }

    // A response whose transaction is over: a retransmitted final answer to a click-to-dial
    // INVITE still needs its ACK, or the phone keeps sending it.
    void on_stray_response(const SipMessage& response) {
        auto it = dial_calls_.find(response.call_id());
        if (it == dial_calls_.end() || response.method() != "INVITE" || response.status() < 200)
            return;
        auto& call = it->second;
        if (response.status() < 300 && call.dialog.established())
            send(call.dialog.ack(agent_).to_string(), registrar_);
        else if (response.status() >= 300 && call.invite)
            send(call.invite->failure_ack(response).to_string(), registrar_);
    }

    void finish_transaction(const std::string& branch, const SipMessage* response) {
        auto node = transactions_.extract(branch);
        if (node.empty()) return;  // a late retransmitted response
        node.mapped()->done(response);
    }

    // ---- registration ----

    void register_now() {
        auto request = register_request();
        request.add_header("Expires", std::to_string(settings_.expires_s));
        authorize(request, "REGISTER", settings_.registrar_uri());
        send_request(request, [this](const SipMessage* response) { on_register_response(response); });
    }

    void authorize(SipMessage& request, const std::string& method, const std::string& uri) {
        if (challenge_) authorize(request, method, uri, *challenge_, ++nonce_count_);
    }

    void authorize(SipMessage& request, const std::string& method, const std::string& uri,
                   const sip::Challenge& challenge, unsigned nonce_count) {
        auto value = sip::authorization_value(challenge, settings_.auth_user, settings_.password,
                                              method, uri, sip::random_token(8), nonce_count);
        if (!value.empty())
            request.add_header(challenge.proxy ? "Proxy-Authorization" : "Authorization", value);
    }

    void on_register_response(const SipMessage* response) {
        if (!response) return registration_failed("the registrar " + registrar_text() + " does not answer");
        const int status = response->status();
        if (status == 401 || status == 407) return on_challenge(*response);
        if (status >= 300)
            return registration_failed("the registrar refused the registration: " +
                                       std::to_string(status) + " " + response->reason());
        answered_challenge_ = false;
        registered(response->expires(contact_uri_).value_or(settings_.expires_s));
    }

    void on_challenge(const SipMessage& response) {
        auto challenge = response.challenge();
        // A second challenge right after an answered one means wrong credentials, unless the
        // registrar only says the nonce went stale.
        if (!challenge || (answered_challenge_ && !challenge->stale))
            return registration_failed("the registrar refused the credentials of '" +
                                       settings_.auth_user + "' (" + std::to_string(response.status()) + ")");
        // Credentials the registrar accepted before, challenged as unknown (not stale): it has
        // forgotten its nonces, as a restarted PBX does.
        if (challenge_ && registered_)
            if (auto verdict = sip::SubscriptionWatch::rechallenged(challenge->stale);
                verdict.action != sip::SubscriptionWatch::Action::none)
                check_after_registering_ = verdict.reason;
        challenge_ = std::move(challenge);
        nonce_count_ = 0;
        answered_challenge_ = true;
        if (sip::authorization_value(*challenge_, settings_.auth_user, settings_.password, "REGISTER",
                                     settings_.registrar_uri(), "0", 1).empty())
            return registration_failed("the registrar asks for an unsupported digest (only MD5, qop auth)");
        register_now();
    }

    void registered(long expires_s) {
        registered_ = true;
        if (settings_.ring_only()) {
            backoff_.reset();
            report_status(DriverState::connected, registered_text());
        } else if (!subscription_.active && !subscription_.pending) {
            report_status(DriverState::connecting, registered_text() + "; subscribing to its dialog events");
            subscribe();
        } else if (!check_after_registering_.empty()) {
            check_subscription(std::exchange(check_after_registering_, {}));
        }
        // Refresh at half the granted time, so one lost refresh still leaves room to retry.
        const auto refresh_ms = std::max<std::int64_t>(1000, expires_s * 1000 / 2);
        after(refresh_timer_, refresh_ms, [this] { register_now(); });
        schedule_keepalive();
    }

    void registration_failed(const std::string& reason) {
        registered_ = false;
        answered_challenge_ = false;
        challenge_.reset();
        lose_calls();
        refresh_timer_.cancel();
        keepalive_timer_.cancel();
        const auto delay = backoff_.next_ms();
        report_status(DriverState::disconnected, reason);
        // A lost TCP connection is opened again first (with a new local port, so a new Contact).
        after(retry_timer_, delay,
              [this] { transport_->is_open() ? register_now() : open_transport(); });
    }

    void schedule_keepalive() {
        if (settings_.keepalive_ms == 0) return;
        after(keepalive_timer_, settings_.keepalive_ms, [this] {
            auto request = new_request("OPTIONS", settings_.registrar_uri(), "<" + settings_.registrar_uri() + ">",
                                       sip::random_token() + "@cti-adapter", sip::random_token(8), 1);
            // Any final answer, even an error, shows the PBX is alive. One that came only after a
            // resend shows it was away for a moment: perhaps restarting, so the subscription is
            // checked.
            const auto sent_at = std::chrono::steady_clock::now();
            send_request(request, [this, sent_at](const SipMessage* response) {
                if (!response) return registration_failed("the registrar " + registrar_text() + " stopped answering");
                schedule_keepalive();
                const bool resent = !transport_->reliable() &&
                                    std::chrono::steady_clock::now() - sent_at >= Milliseconds(t1_ms);
                follow(sip::SubscriptionWatch::keepalive_answered(resent));
            });
        });
    }

    // Ring-only mode registers a contact: the PBX must fork the extension's calls to it.
    // Monitor mode must not: a forking PBX would ring the adapter next to the deskphone, and
    // the adapter's refusal could end the call. Its REGISTER carries no Contact, a binding
    // query (RFC 3261 10.2.3) that still proves the credentials and that the PBX is there.
    SipMessage register_request() {
        auto request = new_request("REGISTER", settings_.registrar_uri(), "<" + settings_.aor() + ">",
                                   register_call_id_, register_tag_, ++register_cseq_);
        if (!settings_.ring_only()) request.remove_contacts();
        return request;
    }

    void begin_stopping() {
        // The PBX stops ringing this user agent now, not when its INVITEs time out.
        for (const auto& [ref, call] : calls_)
            send(SipMessage::response(call.invite, 480, "Temporarily Unavailable", call.to_tag).to_string(),
                 call.source);
        for (auto& [call_id, call] : dial_calls_) release_leg_now(call);
        stopping_ = true;
        calls_.clear();
        finished_.clear();
        dial_calls_.clear();
        referred_.clear();
        transactions_.clear();  // their answers and timeouts no longer matter
        for (auto* timer : {&retry_timer_, &refresh_timer_, &keepalive_timer_, &subscribe_timer_,
                            &notify_timer_, &check_timer_})
            timer->cancel();
        // The registrar's answer to the unregistration is waited for, briefly: a TCP connection
        // closed under an unread request is reset, and the PBX drops the request.
        if (!unregister([this] { finish_stopping(); })) return finish_stopping();
        after(stop_timer_, std::min<std::int64_t>(settings_.transaction_timeout_ms, unregister_wait_ms),
              [this] { finish_stopping(); });
    }

    // On the way out: `answered` runs on the registrar's final answer (or the transaction's
    // timeout). False when there is nothing to unregister.
    bool unregister(std::function<void()> answered) {
        if (state_ != DriverState::connected || !settings_.ring_only()) return false;
        auto request = register_request();
        request.add_header("Expires", "0");
        authorize(request, "REGISTER", settings_.registrar_uri());
        send_request(request, [answered = std::move(answered)](const SipMessage*) { answered(); });
        return true;
    }

    // The last step of stop(), once: timers and pending receives are dropped, not waited for.
    void finish_stopping() {
        if (io_.stopped()) return;
        stop_timer_.cancel();
        transactions_.clear();
        report_status(DriverState::stopped, "SIP user agent stopped");
        io_.stop();
    }

    // The PBX is gone: its calls are gone with it (the core ends them as driver_lost).
    void lose_calls() {
        calls_.clear();
        finished_.clear();
        dial_calls_.clear();
        referred_.clear();
        monitor_.reset();
        forget_subscription();
    }

    // ---- the dialog event subscription (monitor mode) ----

    void subscribe() {
        auto& sub = subscription_;
        if (sub.call_id.empty()) {
            sub.call_id = sip::random_token() + "@cti-adapter";
            sub.local_tag = sip::random_token(8);
            watch_.started();
            monitor_.new_subscription();
        } else {
            watch_.sent();
        }
        // A refresh goes inside the subscription's dialog; the first SUBSCRIBE to the AOR.
        const bool refresh = !sub.remote_tag.empty();
        const auto uri = refresh ? sub.remote_target : settings_.aor();
        auto to = "<" + settings_.aor() + ">" + (refresh ? ";tag=" + sub.remote_tag : "");
        auto request = new_request("SUBSCRIBE", uri, to, sub.call_id, sub.local_tag, ++sub.cseq);
        for (const auto& route : sub.route_set) request.add_header("Route", route);
        request.add_header("Event", "dialog");
        request.add_header("Accept", "application/dialog-info+xml");
        request.add_header("Expires", std::to_string(settings_.subscribe_expires_s));
        authorize(request, "SUBSCRIBE", uri);
        sub.pending = true;
        send_request(request, [this, call_id = sub.call_id, refresh](const SipMessage* response) {
            // A subscription given up meanwhile (the registration was lost) is not revived.
            if (call_id == subscription_.call_id) on_subscribe_response(response, refresh);
        });
    }

    void on_subscribe_response(const SipMessage* response, bool refresh) {
        auto& sub = subscription_;
        sub.pending = false;
        // A refresh that fails says the PBX lost the subscription (a 481 after a restart): a new
        // one goes out at once. A first SUBSCRIBE that fails is retried with the backoff.
        if (refresh && (!response || (response->status() >= 300 && response->status() != 401 &&
                                      response->status() != 407)))
            return follow(sip::SubscriptionWatch::refresh_answered(
                response ? std::optional<int>(response->status()) : std::nullopt));
        if (!response) return subscription_failed("the PBX does not answer the dialog subscription");
        const int status = response->status();
        if ((status == 401 || status == 407) && !sub.answered_challenge) {
            sub.answered_challenge = true;
            challenge_ = response->challenge();
            nonce_count_ = 0;
            if (challenge_) return subscribe();
        }
        if (status >= 300)
            return subscription_failed("the PBX refused the dialog subscription to " + settings_.aor() +
                                       ": " + std::to_string(status) + " " + response->reason());
        sub.answered_challenge = false;
        learn_dialog(response->to_tag(), *response, true);
        sub.active = true;
        if (watch_.accepted())
            after(notify_timer_, settings_.transaction_timeout_ms,
                  [this] { follow(watch_.notify_overdue()); });
        if (!watch_.confirmed())
            report_status(DriverState::connecting, unconfirmed_text("waiting for the PBX's first NOTIFY"));
        const auto expires_s = response->expires().value_or(settings_.subscribe_expires_s);
        after(subscribe_timer_, std::max<std::int64_t>(1000, expires_s * 1000 / 2), [this] { subscribe(); });
    }

    // The subscription's dialog as the PBX's first answer or NOTIFY establishes it.
    void learn_dialog(const std::string& remote_tag, const SipMessage& message, bool from_response) {
        auto& sub = subscription_;
        if (!sub.remote_tag.empty() || remote_tag.empty()) return;
        sub.remote_tag = remote_tag;
        sub.remote_target = message.contact_uri();
        sub.route_set = message.record_routes();
        // A UAC reads Record-Route bottom-up (RFC 3261 12.1.2); a UAS top-down.
        if (from_response) std::reverse(sub.route_set.begin(), sub.route_set.end());
        if (sub.remote_target.empty()) sub.remote_target = settings_.aor();
    }

    void subscription_failed(const std::string& reason) {
        monitor_.reset();
        referred_.clear();  // the monitor forgot the dialogs: their ends will not be reported
        forget_subscription();
        report_status(DriverState::disconnected, reason);
        if (registered_) after(subscribe_timer_, backoff_.next_ms(), [this] { subscribe(); });
    }

    void on_notify(const SipMessage& notify, const Endpoint& source) {
        if (auto call = dial_calls_.find(notify.call_id()); call != dial_calls_.end())
            return on_refer_notify(call->second, notify, source);
        auto& sub = subscription_;
        if (settings_.ring_only() || notify.call_id() != sub.call_id || notify.to_tag() != sub.local_tag)
            return respond(notify, source, 481, "Subscription Does Not Exist");
        respond(notify, source, 200, "OK");
        learn_dialog(notify.from_tag(), notify, false);
        // A body that is not dialog-info is skipped: the next NOTIFY brings the state again.
        std::optional<sip::DialogInfo> info;
        if (notify.header("Event").rfind("dialog", 0) == 0) info = sip::parse_dialog_info(notify.body());
        const bool was_confirmed = watch_.confirmed();
        const auto verdict = watch_.notified(info ? std::optional(info->version) : std::nullopt,
                                             info && info->full);
        notify_timer_.cancel();
        schedule_subscription_check();
        if (!was_confirmed) {
            // The first NOTIFY of this subscription: only now is the PBX known to watch for us.
            backoff_.reset();
            resubscribed_ = 0;
            report_status(DriverState::connected, registered_text() + "; watching its dialog events");
        }
        if (info) {
            const auto now = std::chrono::steady_clock::now();
            for (auto& report : monitor_.apply(*info)) {
                // The phone's side of a click-to-dial control leg is that call already.
                if (dial_calls_.contains(report.ref)) continue;
                const auto route = referred_.route(report, now);
                if (route.action == sip::ReferredCalls::Route::Action::pass)
                    events_->on_call(with_line_defaults(std::move(report)));
                else
                    follow_referred(route, report);
            }
        }
        if (const auto state = notify.header("Subscription-State"); state.rfind("terminated", 0) == 0) {
            const auto ended = sip::SubscriptionWatch::terminated(state);
            if (ended.action == sip::SubscriptionWatch::Action::resubscribe) return resubscribe(ended.reason);
            return subscription_failed("the PBX ended the dialog subscription to " + settings_.aor());
        }
        follow(verdict);
    }

    // ---- noticing a lost subscription (SubscriptionWatch) ----

    void follow(const sip::SubscriptionWatch::Verdict& verdict) {
        using Action = sip::SubscriptionWatch::Action;
        if (verdict.action == Action::check) check_subscription(verdict.reason);
        if (verdict.action == Action::resubscribe) resubscribe(verdict.reason);
    }

    // A hint that the PBX may have lost the subscription: a refresh inside its dialog now,
    // whose answer tells (a 481 when it is gone).
    void check_subscription(const std::string& reason) {
        const auto& sub = subscription_;
        if (settings_.ring_only() || !registered_ || sub.pending || sub.remote_tag.empty()) return;
        check_reason_ = reason;
        subscribe();
    }

    // The subscription is gone: a new one at once (the next ones, should they fail the same
    // way, with the backoff). The driver reports connecting until its first NOTIFY; the calls
    // stay, and that NOTIFY's full document says which are still there.
    void resubscribe(const std::string& reason) {
        forget_subscription();
        const auto why = check_reason_.empty() ? reason : check_reason_ + "; " + reason;
        check_reason_.clear();
        report_status(DriverState::connecting, unconfirmed_text(why + "; subscribing again"));
        after(subscribe_timer_, resubscribed_++ == 0 ? 0 : backoff_.next_ms(), [this] {
            // A REGISTER answered meanwhile may have subscribed already.
            if (registered_ && subscription_.call_id.empty()) subscribe();
        });
    }

    void schedule_subscription_check() {
        check_reason_.clear();
        if (settings_.subscription_check_ms == 0) return;
        after(check_timer_, settings_.subscription_check_ms, [this] {
            check_subscription("no dialog NOTIFY for " +
                               std::to_string(settings_.subscription_check_ms / 1000) + " s");
        });
    }

    void forget_subscription() {
        subscription_ = {};
        for (auto* timer : {&subscribe_timer_, &notify_timer_, &check_timer_}) timer->cancel();
    }

    std::string unconfirmed_text(const std::string& why) const {
        return registered_text() + "; dialog subscription not confirmed: " + why;
    }

    // The agent's own side of a reported call, where the PBX leaves it out.
    CallReport with_line_defaults(CallReport report) {
        auto& agent = report.kind == CallReport::Kind::dialing ? report.from : report.to;
        if (agent.number.empty()) agent.number = settings_.line_number;
        if (agent.name.empty()) agent.name = settings_.display_name;
        return report;
    }

    // ---- requests from the PBX ----

    void on_request(const SipMessage& request, const Endpoint& source) {
        const auto method = request.method();
        if (stopping_ && method != "ACK")  // no new calls while the unregistration is answered
            return send(SipMessage::response(request, 480, "Temporarily Unavailable", sip::random_token(8)).to_string(),
                        source);
        if (method == "INVITE") return on_invite(request, source);
        if (method == "CANCEL") return on_cancel(request, source);
        if (method == "ACK") return on_ack(request);
        if (method == "OPTIONS") {
            auto response = SipMessage::response(request, 200, "OK", sip::random_token(8));
            response.add_header("Allow", allowed_methods);
            return send(response.to_string(), source);
        }
        if (method == "NOTIFY") return on_notify(request, source);
        if (method == "BYE") return on_bye(request, source);
        respond(request, source, 405, "Method Not Allowed");
    }

    void respond(const SipMessage& request, const Endpoint& source, int status,
                 const std::string& reason) {
        auto response = SipMessage::response(request, status, reason, sip::random_token(8));
        if (status == 405) response.add_header("Allow", allowed_methods);
        send(response.to_string(), source);
    }

    void on_invite(const SipMessage& invite, const Endpoint& source) {
        const auto ref = invite.call_id();
        // A forking PBX also rings this user agent with its own click-to-dial INVITE.
        if (dial_calls_.contains(ref)) return respond(invite, source, 482, "Loop Detected");
        if (auto finished = finished_.find(ref); finished != finished_.end())
            return send(finished->second.final_response, source);
        if (auto ringing = calls_.find(ref); ringing != calls_.end())
            return send(ringing_response(ringing->second), source);
        if (!invite.to_tag().empty())  // a re-INVITE for a dialog we do not have
            return respond(invite, source, 481, "Call/Transaction Does Not Exist");
        if (!settings_.ring_only() || state_ != DriverState::connected)
            return respond(invite, source, 480, "Temporarily Unavailable");
        RingingCall call{invite.clone(), source, sip::random_token(8)};
        send(ringing_response(call), source);
        report_offered(ref, invite);
        calls_.emplace(ref, std::move(call));
    }

    std::string ringing_response(const RingingCall& call) {
        auto response = SipMessage::response(call.invite, 180, "Ringing", call.to_tag);
        response.add_header("Contact", contact());
        return response.to_string();
    }

    void report_offered(const std::string& ref, const SipMessage& invite) {
        CallReport report;
        report.kind = CallReport::Kind::offered;
        report.ref = ref;
        report.direction = Direction::inbound;
        report.from = sip::caller_of(invite);  // P-Asserted-Identity, else From
        const auto called = invite.to();
        report.to = {normalize_dial_string(called.user).value_or(settings_.line_number),
                     settings_.display_name};
        events_->on_call(std::move(report));
    }

    void on_cancel(const SipMessage& cancel, const Endpoint& source) {
        auto it = calls_.find(cancel.call_id());
        if (it == calls_.end() || it->second.invite.branch() != cancel.branch())
            return respond(cancel, source, 481, "Call/Transaction Does Not Exist");
        respond(cancel, source, 200, "OK");
        // RFC 3326: "cause=200" in the CANCEL's Reason means another device took the call.
        const bool elsewhere = sip::sip_reason_cause(cancel.header("Reason")) == 200;
        finish_call(it, 487, "Request Terminated",
                    elsewhere ? EndReason::answered_elsewhere : EndReason::missed);
    }

    void on_ack(const SipMessage& ack) {
        finished_.erase(ack.call_id());
    }

    // Sends the INVITE's final response and reports the call ended.
    void finish_call(std::map<std::string, RingingCall>::iterator it, int status,
                     const std::string& reason, EndReason end_reason) {
        const auto ref = it->first;
        auto response = SipMessage::response(it->second.invite, status, reason, it->second.to_tag);
        FinishedCall finished{response.to_string(), it->second.source,
                              std::make_unique<net::steady_timer>(io_)};
        send(finished.final_response, finished.source);
        after(*finished.expiry, 64 * t1_ms, [this, ref] { finished_.erase(ref); });
        finished_[ref] = std::move(finished);
        calls_.erase(it);
        report_call(ref, CallReport::Kind::ended, end_reason);
    }

    // ---- click-to-dial: third-party call control (ClickToDialCall) ----

    CommandOutcome dial(const DriverCommand& command) {
        if (state_ != DriverState::connected)
            return CommandOutcome::failure("driver_unavailable",
                                           "not registered to the PBX: " + status_detail_);
        const auto& config = settings_.click_to_dial;
        const auto call_id = sip::random_token() + "@cti-adapter";
        // The phone shows the number it is about to call as the caller of the control leg.
        sip::SipDialog dialog(call_id, "\"" + command.number + "\" <" + settings_.aor() + ">",
                              config.phone_uri);
        auto& call =
            dial_calls_.try_emplace(call_id, command.ref, command.number, std::move(dialog))
                .first->second;
        call.answer_timer = std::make_unique<net::steady_timer>(io_);
        after(*call.answer_timer, config.answer_timeout_ms,
              [this, call_id] { on_phone_silent(call_id); });
        report_dialing(call);
        send_invite(call);
        return CommandOutcome::success();
    }

    void send_invite(ClickToDialCall& call, const SipMessage* challenge_response = nullptr) {
        const auto& config = settings_.click_to_dial;
        auto invite = call.dialog.request("INVITE", agent_);
        if (!config.auto_answer_name.empty())
            invite.add_header(config.auto_answer_name, config.auto_answer_value);
        invite.add_header("Allow", allowed_methods);
        invite.set_body("application/sdp", sip::inactive_sdp_offer(agent_.sent_by.substr(
                                               0, agent_.sent_by.rfind(':'))));
        // A PBX that authenticates calls challenges the INVITE (401/407): answered once.
        if (challenge_response)
            authorize(invite, "INVITE", config.phone_uri, *challenge_response->challenge(), 1);
        call.invite = invite.clone();
        call.invite_pending = true;
        send_request(invite, [this, call_id = call.dialog.call_id()](const SipMessage* response) {
            on_phone_answer(call_id, response);
        });
    }

    void report_dialing(const ClickToDialCall& call) {
        CallReport report;
        report.kind = CallReport::Kind::dialing;
        report.ref = call.ref;
        report.direction = Direction::outbound;
        report.from = {settings_.line_number, settings_.display_name};
        report.to = {call.number, ""};
        events_->on_call(std::move(report));
    }

    void on_phone_answer(const std::string& call_id, const SipMessage* response) {
        auto it = dial_calls_.find(call_id);
        if (it == dial_calls_.end()) return;  // lost with the registration meanwhile
        auto& call = it->second;
        call.invite_pending = false;
        if (!response) {
            // No answer at all: the PBX is not passing it on.
            end_dial(call, EndReason::failed, "the PBX did not pass the call on to your phone");
            return forget_dial(call_id);
        }
        const int status = response->status();
        if (status >= 300) return on_phone_refusal(call, *response);
        call.dialog.establish(*response);
        call.leg_up = true;
        call.answer_timer->cancel();
        send(call.dialog.ack(agent_).to_string(), registrar_);
        if (call.stage == ClickToDialCall::Stage::ended)
            return release_leg(call);  // hung up meanwhile
        call.stage = ClickToDialCall::Stage::referring;
        const auto target = "sip:" + call.number + "@" + settings_.click_to_dial.target_domain;
        auto refer = call.dialog.refer(agent_, target, settings_.aor());
        send_request(
            refer, [this, call_id](const SipMessage* answer) { on_refer_answer(call_id, answer); });
        // In monitor mode the PBX also reports the call the REFER makes the phone place: that
        // call is this one (ReferredCalls), not a second call.
        if (!settings_.ring_only())
            referred_.expect(call.ref, call.number, std::chrono::steady_clock::now());
    }

    void on_phone_refusal(ClickToDialCall& call, const SipMessage& response) {
        const int status = response.status();
        send(call.invite->failure_ack(response).to_string(), registrar_);
        const bool challenged = status == 401 || status == 407;
        if (challenged && !call.answered_challenge && call.stage != ClickToDialCall::Stage::ended &&
            response.challenge()) {
            call.answered_challenge = true;
            return send_invite(call, &response);
        }
        // After the agent hung up (a CANCEL, 487) the call was reported ended already.
        end_dial(call, sip::phone_refusal_end_reason(status),
                 "your phone refused the call that places the dial: " +
                     std::to_string(status) + " " + response.reason());
        const auto call_id = call.dialog.call_id();  // a copy: the call goes away with it
        forget_dial(call_id);
    }

    // The phone did not answer within answer_timeout_ms: give up on it.
    void on_phone_silent(const std::string& call_id) {
        auto it = dial_calls_.find(call_id);
        if (it == dial_calls_.end() || !it->second.invite_pending) return;
        end_dial(it->second, EndReason::failed,
                 "your phone did not answer within " +
                     std::to_string(settings_.click_to_dial.answer_timeout_ms / 1000) + " s");
        release_leg(it->second);
    }

    void on_refer_answer(const std::string& call_id, const SipMessage* response) {
        auto it = dial_calls_.find(call_id);
        if (it == dial_calls_.end() || (response && response->status() < 300)) return;
        // The phone cannot or will not transfer: the number is never dialled.
        end_dial(it->second, EndReason::failed,
                 response ? "your phone refused to dial the number: " +
                                std::to_string(response->status()) + " " + response->reason()
                          : "your phone did not answer the request to dial the number");
        release_leg(it->second);
    }

    // A NOTIFY of the REFER's implicit subscription: the referred call's progress as sipfrag.
    void on_refer_notify(ClickToDialCall& call, const SipMessage& notify, const Endpoint& source) {
        if (notify.to_tag() != call.dialog.local_tag())
            return respond(notify, source, 481, "Subscription Does Not Exist");
        respond(notify, source, 200, "OK");
        if (call.stage != ClickToDialCall::Stage::referring &&
            call.stage != ClickToDialCall::Stage::connected)
            return;
        // A body that is not a sipfrag status line is skipped: the next NOTIFY says it again.
        const auto progress = sip::sipfrag_status(notify.body());
        const int status = progress ? progress->code : 0;
        if (status >= 200 && status < 300 && call.stage == ClickToDialCall::Stage::referring) {
            call.stage = ClickToDialCall::Stage::connected;
            report_call(call.ref, CallReport::Kind::connected);
        } else if (status >= 300) {
            // The far end's own status line, "486 Busy Here", is what the agent should read.
            end_dial(call, sip::referred_call_end_reason(status), progress->line);
            return release_leg(call);
        }
        const bool over = notify.header("Subscription-State").rfind("terminated", 0) == 0;
        // With the phone's own dialog of the call in view, that dialog says how it goes on.
        if (over && call.stage == ClickToDialCall::Stage::referring && !referred_.bound_dialog(call.ref)) {
            end_dial(call, EndReason::failed,
                     "your phone stopped reporting the call before it was answered");
            release_leg(call);
        }
    }

    void on_bye(const SipMessage& bye, const Endpoint& source) {
        auto it = dial_calls_.find(bye.call_id());
        if (it == dial_calls_.end() || bye.to_tag() != it->second.dialog.local_tag())
            return respond(bye, source, 481, "Call/Transaction Does Not Exist");
        respond(bye, source, 200, "OK");
        auto& call = it->second;
        call.leg_up = false;
        // While the REFER's outcome is open its subscription outlives the control leg (RFC 5057).
        if (call.stage == ClickToDialCall::Stage::referring) return;
        // A phone that leaves the control leg once the transfer is done: the call goes on, in
        // the phone's dialog of the referred call, whose end ends it.
        if (referred_.bound_dialog(call.ref)) return;
        end_dial(call, EndReason::normal);
        forget_dial(bye.call_id());
    }

    CommandOutcome hang_up(const std::string& ref) {
        auto it = std::find_if(dial_calls_.begin(), dial_calls_.end(),
                               [&](const auto& entry) { return entry.second.ref == ref; });
        if (it == dial_calls_.end() || it->second.stage == ClickToDialCall::Stage::ended)
            return CommandOutcome::failure(
                "no_such_call",
                "the SIP driver can only hang up calls it dialled; '" + ref + "' is not one");
        if (auto refusal = referred_.hang_up_refusal(ref))
            return CommandOutcome::failure("unsupported", std::move(*refusal));
        end_dial(it->second, EndReason::normal);
        release_leg(it->second);
        return CommandOutcome::success();
    }

    // Reports the call ended, once; the SIP clean-up may go on.
    void end_dial(ClickToDialCall& call, EndReason reason, std::string_view detail = {}) {
        if (call.stage == ClickToDialCall::Stage::ended) return;
        call.stage = ClickToDialCall::Stage::ended;
        report_call(call.ref, CallReport::Kind::ended, reason, end_detail(detail));
    }

    // Takes the control leg down: BYE once it is up, CANCEL while the INVITE is pending (the
    // final answer then forgets the call), else nothing is left.
    void release_leg(ClickToDialCall& call) {
        const auto call_id = call.dialog.call_id();
        if (call.leg_up) {
            call.leg_up = false;
            auto bye = call.dialog.request("BYE", agent_);
            return send_request(bye, [this, call_id](const SipMessage*) { forget_dial(call_id); });
        }
        if (call.invite_pending) {
            if (!call.cancel_sent) send(call.invite->cancel().to_string(), registrar_);
            call.cancel_sent = true;
            // The 487 ends the INVITE; should it never come, the call is forgotten anyway.
            return after(*call.answer_timer, 64 * t1_ms, [this, call_id] { forget_dial(call_id); });
        }
        forget_dial(call_id);
    }

    // On the way out: nobody waits for the answers.
    void release_leg_now(ClickToDialCall& call) {
        if (call.leg_up)
            send(call.dialog.request("BYE", agent_).to_string(), registrar_);
        else if (call.invite_pending && call.invite)
            send(call.invite->cancel().to_string(), registrar_);
    }

    void forget_dial(const std::string& call_id) {
        auto it = dial_calls_.find(call_id);
        if (it == dial_calls_.end()) return;
        referred_.forget(it->second.ref);
        dial_calls_.erase(it);
    }

    ClickToDialCall* dial_call_by_ref(const std::string& ref) {
        auto it = std::find_if(dial_calls_.begin(), dial_calls_.end(),
                               [&](const auto& entry) { return entry.second.ref == ref; });
        return it == dial_calls_.end() ? nullptr : &it->second;
    }

    // One of the monitor's reports about the phone's dialog of a referred call: it is the
    // click-to-dial call's progress.
    void follow_referred(const sip::ReferredCalls::Route& route, const CallReport& report) {
        using Action = sip::ReferredCalls::Route::Action;
        auto* call = dial_call_by_ref(route.dial_ref);
        if (!call) return;
        if (route.action == Action::connected && call->stage == ClickToDialCall::Stage::referring) {
            call->stage = ClickToDialCall::Stage::connected;
            report_call(call->ref, CallReport::Kind::connected);
        } else if (route.action == Action::ended) {
            end_dial(*call, report.reason, report.detail);
            release_leg(*call);  // the control leg, if the phone has not left it already
        }
    }

    void report_call(const std::string& ref, CallReport::Kind kind,
                     EndReason reason = EndReason::normal, std::string detail = {}) {
        CallReport report;
        report.kind = kind;
        report.ref = ref;
        report.reason = reason;
        report.detail = std::move(detail);
        events_->on_call(std::move(report));
    }

    // ---- helpers ----

    void report_status(DriverState state, const std::string& detail) {
        if (state == state_ && detail == status_detail_) return;  // retries repeat themselves
        state_ = state;
        status_detail_ = detail;
        events_->on_status({state, detail});
    }

    template <typename Handler>
    void after(net::steady_timer& timer, std::int64_t ms, Handler handler) {
        timer.expires_after(Milliseconds(ms));
        timer.async_wait([handler = std::move(handler)](boost::system::error_code error) {
            if (!error) handler();
        });
    }

    std::string registered_text() const {
        return "registered as " + settings_.aor() + " at " + registrar_text();
    }
    std::string registrar_text() const {
        return settings_.registrar_host + ":" + std::to_string(settings_.registrar_port);
    }
    std::string contact() const { return agent_.contact; }
    std::string from_header() const {
        auto aor = "<" + settings_.aor() + ">";
        return settings_.display_name.empty() ? aor : "\"" + settings_.display_name + "\" " + aor;
    }

    SipSettings settings_;
    sip::Backoff backoff_;
    DriverEvents* events_ = nullptr;
    DriverState state_ = DriverState::stopped;
    bool stopping_ = false;  // stop() is waiting for the unregistration's answer
    std::string status_detail_;

    net::io_context io_{1};
    net::executor_work_guard<net::io_context::executor_type> work_{io_.get_executor()};
    std::thread thread_;
    std::unique_ptr<sip::SipTransport> transport_;
    Endpoint registrar_;
    sip::LocalAgent agent_;    // Via and Contact, for the transport's current local address
    std::string contact_uri_;  // ours, to find our binding in the registrar's answer

    std::map<std::string, std::unique_ptr<ClientTransaction>> transactions_;
    net::steady_timer retry_timer_{io_};
    net::steady_timer stop_timer_{io_};  // how long stop() waits for the unregistration's answer
    net::steady_timer refresh_timer_{io_};
    net::steady_timer keepalive_timer_{io_};

    const std::string register_call_id_ = sip::random_token() + "@cti-adapter";
    const std::string register_tag_ = sip::random_token(8);
    unsigned long register_cseq_ = 0;
    std::optional<sip::Challenge> challenge_;
    unsigned nonce_count_ = 0;
    bool answered_challenge_ = false;

    bool registered_ = false;
    Subscription subscription_;
    sip::DialogMonitor monitor_;
    net::steady_timer subscribe_timer_{io_};
    net::steady_timer notify_timer_{io_};  // the NOTIFY owed after an accepted SUBSCRIBE
    net::steady_timer check_timer_{io_};   // no NOTIFY for subscription_check_ms: refresh
    sip::SubscriptionWatch watch_;
    std::string check_reason_;             // why the refresh on its way was sent early
    std::string check_after_registering_;  // a hint the REGISTER's challenge gave
    unsigned resubscribed_ = 0;            // new subscriptions since the last confirmed one

    std::map<std::string, RingingCall> calls_;  // by Call-ID, the call's ref
    std::map<std::string, FinishedCall> finished_;

    std::map<std::string, ClickToDialCall> dial_calls_;  // by the control leg's Call-ID
    sip::ReferredCalls referred_{Milliseconds(referred_window_ms)};
};

std::unique_ptr<Driver> create_sip(SettingsReader& reader) {
    return std::make_unique<SipDriver>(sip::read_sip_settings(reader));
}

}  // namespace

DriverFactory sip_driver_factory() {
    return {"sip", "SIP user agent registered to the PBX next to the agent's deskphone", &create_sip};
}

}  // namespace cti
