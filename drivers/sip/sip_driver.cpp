// The SIP deskphone driver: a small SIP user agent next to the agent's deskphone.
//
// It registers to the PBX with the agent's extension (digest authentication, refresh before
// expiry, OPTIONS keepalive to notice a PBX that went away), then works in one of two modes:
//  * monitor: subscribes to the extension's dialog events (RFC 4235) and reports the calls the
//    PBX describes in its dialog-info NOTIFYs;
//  * ring_only: receives the extension's INVITEs as a parallel-ringing device: it rings (180),
//    pops the call, lets the agent decline it, and ends it as missed or answered elsewhere when
//    the PBX cancels it.
// Media always stays on the deskphone, so this driver never answers.
//
// All SIP state lives on the driver's own thread (one io_context): the socket, the client
// transactions and their timers, the registration and the ringing calls. Commands from the
// core are posted there.
#include "sip/sip_driver.hpp"

#include <algorithm>
#include <array>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <thread>
#include <utility>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "cti/dial_string.hpp"
#include "sip/backoff.hpp"
#include "sip/dialog_monitor.hpp"
#include "sip/sip_digest.hpp"
#include "sip/sip_message.hpp"
#include "sip/sip_settings.hpp"

namespace cti {
namespace {

namespace net = boost::asio;
using udp = net::ip::udp;
using sip::SipMessage;
using sip::SipSettings;
using Milliseconds = std::chrono::milliseconds;

constexpr std::int64_t t1_ms = 500;   // RFC 3261 timer T1: first retransmission
constexpr std::int64_t t2_ms = 4000;  // RFC 3261 timer T2: retransmission interval cap
constexpr std::size_t max_datagram = 65535;
constexpr const char* allowed_methods = "INVITE, ACK, CANCEL, BYE, OPTIONS, NOTIFY";

// A request we sent and are waiting on: retransmitted over UDP until a final response or
// until the transaction timeout, when `done` gets nullptr.
struct ClientTransaction {
    using Done = std::function<void(const SipMessage* final_response)>;
    std::string text;
    Done done;
    std::int64_t interval_ms = t1_ms;
    std::unique_ptr<net::steady_timer> retransmit;
    std::unique_ptr<net::steady_timer> timeout;
};

// An INVITE ringing this user agent (ring-only mode).
struct RingingCall {
    SipMessage invite;
    udp::endpoint source;
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
    udp::endpoint source;
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
        // Only ring-only mode sees the INVITE, so only there can a call be declined.
        if (settings_.ring_only()) return {Capability::decline};
        return {};
    }

    void start(DriverEvents& events) override {
        events_ = &events;
        report_status(DriverState::connecting, "looking up the registrar " + registrar_text());
        thread_ = std::thread([this] { io_.run(); });
        net::post(io_, [this] { open_socket(); });
    }

    void stop() override {
        if (!thread_.joinable()) return;
        net::post(io_, [this] {
            // The PBX stops ringing this user agent now, not when its INVITEs time out.
            for (const auto& [ref, call] : calls_)
                send(SipMessage::response(call.invite, 480, "Temporarily Unavailable", call.to_tag).to_string(),
                     call.source);
            unregister();
            calls_.clear();
            finished_.clear();
            transactions_.clear();
            report_status(DriverState::stopped, "SIP user agent stopped");
            io_.stop();  // timers and pending receives are dropped, not waited for
        });
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
        if (command.kind == DriverCommand::Kind::decline && settings_.ring_only())
            return decline(command.ref);
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

    void open_socket() {
        boost::system::error_code error;
        auto address = net::ip::make_address(settings_.registrar_host, error);
        if (error) {
            // A blocking lookup, on the driver's own thread: the core never waits for it.
            udp::resolver resolver(io_);
            auto results = resolver.resolve(udp::v4(), settings_.registrar_host,
                                            std::to_string(settings_.registrar_port), error);
            if (error || results.empty()) return retry_open("cannot resolve " + registrar_text());
            registrar_ = results.begin()->endpoint();
        } else {
            registrar_ = udp::endpoint(address, settings_.registrar_port);
        }
        registrar_.port(settings_.registrar_port);
        if (!bind_socket(error)) return retry_open("cannot open the SIP port: " + error.message());
        receive();
        register_now();
    }

    bool bind_socket(boost::system::error_code& error) {
        auto local = settings_.local_address.empty() ? route_to_registrar(error)
                                                     : net::ip::make_address(settings_.local_address, error);
        if (error) return false;
        socket_.open(udp::v4(), error);
        if (!error) socket_.bind(udp::endpoint(local, settings_.local_port), error);
        if (!error) local_ = socket_.local_endpoint(error);
        if (error && socket_.is_open()) socket_.close();
        return !error;
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
        after(retry_timer_, backoff_.next_ms(), [this] { open_socket(); });
    }

    void receive() {
        socket_.async_receive_from(net::buffer(buffer_), sender_,
                                   [this](boost::system::error_code error, std::size_t size) {
                                       if (error == net::error::operation_aborted) return;
                                       // Loopback ICMP errors surface here; they are not fatal.
                                       if (!error) on_datagram(std::string_view(buffer_.data(), size));
                                       receive();
                                   });
    }

    void send(const std::string& text, const udp::endpoint& to) {
        boost::system::error_code ignored;  // UDP: a lost datagram is handled by timers
        socket_.send_to(net::buffer(text), to, 0, ignored);
    }

    void on_datagram(std::string_view text) {
        // Keepalive CRLFs and anything libosip2 refuses are skipped.
        auto message = SipMessage::parse(text);
        if (!message) return;
        if (message->is_request())
            on_request(*message, sender_);
        else
            on_response(*message);
    }

    // ---- client transactions ----

    // A new out-of-dialog request from the agent's AOR, with Via, Max-Forwards, From/To,
    // Call-ID, CSeq and Contact filled in.
    SipMessage new_request(const std::string& method, const std::string& uri, const std::string& to,
                           const std::string& call_id, const std::string& from_tag,
                           unsigned long cseq) {
        auto request = SipMessage::request(method, uri);
        // URIs come from validated settings or from the PBX through libosip2, so they parse;
        // should one not, the request goes to the address of record rather than nowhere.
        if (!request) request = SipMessage::request(method, settings_.aor());
        request->add_header("Via", "SIP/2.0/UDP " + local_text() + ";branch=z9hG4bK" +
                                       sip::random_token() + ";rport");
        request->add_header("Max-Forwards", "70");
        request->add_header("From", from_header() + ";tag=" + from_tag);
        request->add_header("To", to);
        request->add_header("Call-ID", call_id);
        request->add_header("CSeq", std::to_string(cseq) + " " + method);
        request->add_header("Contact", contact());
        request->add_header("User-Agent", "cti-adapter");
        return std::move(*request);
    }

    void send_request(const SipMessage& request, ClientTransaction::Done done) {
        auto transaction = std::make_unique<ClientTransaction>();
        transaction->text = request.to_string();
        transaction->done = std::move(done);
        transaction->retransmit = std::make_unique<net::steady_timer>(io_);
        transaction->timeout = std::make_unique<net::steady_timer>(io_);
        const auto branch = request.branch();
        send(transaction->text, registrar_);
        after(*transaction->retransmit, transaction->interval_ms, [this, branch] { retransmit(branch); });
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
        if (response.status() < 200) return;  // provisional: keep waiting
        finish_transaction(response.branch(), &response);
    }

    void finish_transaction(const std::string& branch, const SipMessage* response) {
        auto node = transactions_.extract(branch);
        if (node.empty()) return;  // a late retransmitted response
        node.mapped()->done(response);
    }

    // ---- registration ----

    void register_now() {
        auto request = new_request("REGISTER", settings_.registrar_uri(), "<" + settings_.aor() + ">",
                                   register_call_id_, register_tag_, ++register_cseq_);
        request.add_header("Expires", std::to_string(settings_.expires_s));
        authorize(request, "REGISTER", settings_.registrar_uri());
        send_request(request, [this](const SipMessage* response) { on_register_response(response); });
    }

    void authorize(SipMessage& request, const std::string& method, const std::string& uri) {
        if (!challenge_) return;
        auto value = sip::authorization_value(*challenge_, settings_.auth_user, settings_.password,
                                              method, uri, sip::random_token(8), ++nonce_count_);
        if (!value.empty())
            request.add_header(challenge_->proxy ? "Proxy-Authorization" : "Authorization", value);
    }

    void on_register_response(const SipMessage* response) {
        if (!response) return registration_failed("the registrar " + registrar_text() + " does not answer");
        const int status = response->status();
        if (status == 401 || status == 407) return on_challenge(*response);
        if (status >= 300)
            return registration_failed("the registrar refused the registration: " +
                                       std::to_string(status) + " " + response->reason());
        answered_challenge_ = false;
        registered(response->expires(contact_uri()).value_or(settings_.expires_s));
    }

    void on_challenge(const SipMessage& response) {
        auto challenge = response.challenge();
        // A second challenge right after an answered one means wrong credentials, unless the
        // registrar only says the nonce went stale.
        if (!challenge || (answered_challenge_ && !challenge->stale))
            return registration_failed("the registrar refused the credentials of '" +
                                       settings_.auth_user + "' (" + std::to_string(response.status()) + ")");
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
        after(retry_timer_, delay, [this] { register_now(); });
    }

    void schedule_keepalive() {
        if (settings_.keepalive_ms == 0) return;
        after(keepalive_timer_, settings_.keepalive_ms, [this] {
            auto request = new_request("OPTIONS", settings_.registrar_uri(), "<" + settings_.registrar_uri() + ">",
                                       sip::random_token() + "@cti-adapter", sip::random_token(8), 1);
            // Any final answer, even an error, shows the PBX is alive.
            send_request(request, [this](const SipMessage* response) {
                if (!response) return registration_failed("the registrar " + registrar_text() + " stopped answering");
                schedule_keepalive();
            });
        });
    }

    // Best effort on the way out: nobody waits for the answer.
    void unregister() {
        if (state_ != DriverState::connected) return;
        auto request = new_request("REGISTER", settings_.registrar_uri(), "<" + settings_.aor() + ">",
                                   register_call_id_, register_tag_, ++register_cseq_);
        request.add_header("Expires", "0");
        authorize(request, "REGISTER", settings_.registrar_uri());
        send(request.to_string(), registrar_);
    }

    // The PBX is gone: its calls are gone with it (the core ends them as driver_lost).
    void lose_calls() {
        calls_.clear();
        finished_.clear();
        monitor_.reset();
        subscription_ = {};
        subscribe_timer_.cancel();
    }

    // ---- the dialog event subscription (monitor mode) ----

    void subscribe() {
        auto& sub = subscription_;
        if (sub.call_id.empty()) {
            sub.call_id = sip::random_token() + "@cti-adapter";
            sub.local_tag = sip::random_token(8);
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
        send_request(request, [this, call_id = sub.call_id](const SipMessage* response) {
            // A subscription given up meanwhile (the registration was lost) is not revived.
            if (call_id == subscription_.call_id) on_subscribe_response(response);
        });
    }

    void on_subscribe_response(const SipMessage* response) {
        auto& sub = subscription_;
        sub.pending = false;
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
        backoff_.reset();
        report_status(DriverState::connected, registered_text() + "; watching its dialog events");
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
        subscription_ = {};
        report_status(DriverState::disconnected, reason);
        if (registered_) after(subscribe_timer_, backoff_.next_ms(), [this] { subscribe(); });
    }

    void on_notify(const SipMessage& notify, const udp::endpoint& source) {
        auto& sub = subscription_;
        if (settings_.ring_only() || notify.call_id() != sub.call_id || notify.to_tag() != sub.local_tag)
            return respond(notify, source, 481, "Subscription Does Not Exist");
        respond(notify, source, 200, "OK");
        learn_dialog(notify.from_tag(), notify, false);
        if (notify.header("Event").rfind("dialog", 0) == 0) {
            // A body that is not dialog-info is skipped: the next NOTIFY brings the state again.
            if (auto info = sip::parse_dialog_info(notify.body())) {
                for (auto& report : monitor_.apply(*info)) events_->on_call(with_line_defaults(std::move(report)));
            }
        }
        if (notify.header("Subscription-State").rfind("terminated", 0) == 0)
            subscription_failed("the PBX ended the dialog subscription to " + settings_.aor());
    }

    // The agent's own side of a reported call, where the PBX leaves it out.
    CallReport with_line_defaults(CallReport report) {
        auto& agent = report.kind == CallReport::Kind::dialing ? report.from : report.to;
        if (agent.number.empty()) agent.number = settings_.line_number;
        if (agent.name.empty()) agent.name = settings_.display_name;
        return report;
    }

    // ---- requests from the PBX ----

    void on_request(const SipMessage& request, const udp::endpoint& source) {
        const auto method = request.method();
        if (method == "INVITE") return on_invite(request, source);
        if (method == "CANCEL") return on_cancel(request, source);
        if (method == "ACK") return on_ack(request);
        if (method == "OPTIONS") {
            auto response = SipMessage::response(request, 200, "OK", sip::random_token(8));
            response.add_header("Allow", allowed_methods);
            return send(response.to_string(), source);
        }
        if (method == "NOTIFY") return on_notify(request, source);
        if (method == "BYE") return respond(request, source, 481, "Call/Transaction Does Not Exist");
        respond(request, source, 405, "Method Not Allowed");
    }

    void respond(const SipMessage& request, const udp::endpoint& source, int status,
                 const std::string& reason) {
        auto response = SipMessage::response(request, status, reason, sip::random_token(8));
        if (status == 405) response.add_header("Allow", allowed_methods);
        send(response.to_string(), source);
    }

    void on_invite(const SipMessage& invite, const udp::endpoint& source) {
        const auto ref = invite.call_id();
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
        const auto caller = invite.from();
        report.from = {normalize_dial_string(caller.user).value_or(""), caller.display_name};
        const auto called = invite.to();
        report.to = {normalize_dial_string(called.user).value_or(settings_.line_number),
                     settings_.display_name};
        events_->on_call(std::move(report));
    }

    void on_cancel(const SipMessage& cancel, const udp::endpoint& source) {
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
        CallReport ended;
        ended.kind = CallReport::Kind::ended;
        ended.ref = ref;
        ended.reason = end_reason;
        events_->on_call(std::move(ended));
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
    std::string local_text() const {
        return local_.address().to_string() + ":" + std::to_string(local_.port());
    }
    std::string contact_uri() const { return "sip:" + settings_.user + "@" + local_text(); }
    std::string contact() const { return "<" + contact_uri() + ">"; }
    std::string from_header() const {
        auto aor = "<" + settings_.aor() + ">";
        return settings_.display_name.empty() ? aor : "\"" + settings_.display_name + "\" " + aor;
    }

    SipSettings settings_;
    sip::Backoff backoff_;
    DriverEvents* events_ = nullptr;
    DriverState state_ = DriverState::stopped;
    std::string status_detail_;

    net::io_context io_{1};
    net::executor_work_guard<net::io_context::executor_type> work_{io_.get_executor()};
    std::thread thread_;
    udp::socket socket_{io_};
    udp::endpoint registrar_;
    udp::endpoint local_;
    udp::endpoint sender_;
    std::array<char, max_datagram> buffer_{};

    std::map<std::string, std::unique_ptr<ClientTransaction>> transactions_;
    net::steady_timer retry_timer_{io_};
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

    std::map<std::string, RingingCall> calls_;  // by Call-ID, the call's ref
    std::map<std::string, FinishedCall> finished_;
};

std::unique_ptr<Driver> create_sip(SettingsReader& reader) {
    return std::make_unique<SipDriver>(sip::read_sip_settings(reader));
}

}  // namespace

DriverFactory sip_driver_factory() {
    return {"sip", "SIP user agent registered to the PBX next to the agent's deskphone", &create_sip};
}

}  // namespace cti
