#include "sip/sip_line.hpp"

#include <algorithm>
#include <utility>

#include <boost/asio/ip/address.hpp>

namespace cti::sip {

namespace net = boost::asio;
using udp = net::ip::udp;

constexpr std::int64_t unregister_wait_ms = 1000;  // stop() waits at most this for the registrar

SipLine::SipLine(net::io_context& loop, DriverEvents& events, SipSettings settings)
    : DriverLine(loop, events),
      settings_(std::move(settings)),
      backoff_(settings_.retry_initial_ms, settings_.retry_max_ms),
      credentials_(settings_),
      resolver_(strand_),
      registration_(*this,
                    {
                        [this] { on_registered(); },
                        [this](const std::string& reason) { on_registration_lost(reason); },
                        [this](const SubscriptionWatch::Verdict& hint) { subscription_.follow(hint); },
                    }),
      subscription_(*this,
                    {
                        [this](CallReport report) { on_dialog_changed(std::move(report)); },
                        [this] { dial_calls_.forget_referred(); },
                    }),
      retry_timer_(strand_),
      stop_timer_(strand_) {}

void SipLine::begin() {
    report_status(DriverState::connecting, "looking up the registrar " + registrar_text());
    transport_ = SipTransport::create(
        settings_.tcp(), strand_,
        {
            [this](std::string_view text, const Endpoint& source) { on_message(text, source); },
            [this](const std::string& reason) { on_transport_lost(reason); },
            weak_from_this(),
        });
    open_transport();
}

void SipLine::execute(DriverCommand command, CommandDone done) { done(carry_out(command)); }

CommandOutcome SipLine::carry_out(const DriverCommand& command) {
    using Kind = DriverCommand::Kind;
    if (stopping_ || stopped_) return fail(ErrorKind::unavailable, "the SIP driver is stopping");
    if (command.kind == Kind::decline && settings_.ring_only()) return ring_only_.decline(command.ref);
    if (command.kind == Kind::dial && settings_.click_to_dial.enabled) return dial_calls_.dial(command);
    if (command.kind == Kind::hangup && settings_.click_to_dial.enabled) return dial_calls_.hang_up(command.ref);
    return fail(ErrorKind::unsupported, "the SIP driver cannot do this");
}

// ---- the transport ----

void SipLine::open_transport() {
    boost::system::error_code error;
    const auto address = net::ip::make_address(settings_.registrar_host, error);
    if (!error) {
        registrar_ = Endpoint(address, settings_.registrar_port);
        return opened(address);
    }
    // The name is looked up on the loop, asynchronously: the adapter never waits for DNS.
    resolver_.async_resolve(
        udp::v4(), settings_.registrar_host, std::to_string(settings_.registrar_port),
        [self = shared_from_this()](const boost::system::error_code& failure, udp::resolver::results_type results) {
            if (failure == net::error::operation_aborted || self->stopped_) return;
            if (failure || results.empty()) return self->retry_open("cannot resolve " + self->registrar_text());
            self->registrar_ = results.begin()->endpoint();
            self->registrar_.port(self->settings_.registrar_port);
            self->opened(self->registrar_.address());
        });
}

// The registrar's address is known: bind the local end and register.
void SipLine::opened(const net::ip::address&) {
    boost::system::error_code error;
    net::ip::address local;
    if (settings_.local_address.empty()) {
        // The local address the system would use to reach the registrar (for Via and
        // Contact). Connecting a UDP socket sends nothing and does not wait.
        udp::socket probe(strand_);
        probe.open(udp::v4(), error);
        if (!error) probe.connect(registrar_, error);
        if (!error) local = probe.local_endpoint(error).address();
    } else {
        local = net::ip::make_address(settings_.local_address, error);
    }
    if (error) return retry_open("no local address routes to " + registrar_text() + ": " + error.message());
    transport_->open(local, settings_.local_port, registrar_, [this](const std::string& problem) {
        if (stopping_ || stopped_) return;
        if (!problem.empty()) return retry_open(problem);
        const auto local_end = transport_->local_endpoint();
        const auto sent_by = local_end.address().to_string() + ":" + std::to_string(local_end.port());
        const auto params = settings_.tcp() ? ";transport=tcp" : "";
        agent_ = {std::string(transport_->via_name()), sent_by, "<sip:" + settings_.user + "@" + sent_by + params + ">"};
        registration_.start("sip:" + settings_.user + "@" + sent_by + params);
    });
}

void SipLine::retry_open(const std::string& reason) {
    report_status(DriverState::disconnected, reason);
    after(retry_timer_, backoff_.next_ms(), [this] { open_transport(); });
}

// TCP: the connection is gone, and every transaction on it with it (their answers cannot come
// any more; waiting for their timeouts would only report the loss twice).
void SipLine::on_transport_lost(const std::string& reason) {
    if (stopping_) return finish_stopping();  // the unregistration's answer cannot come
    transactions_.clear();
    on_registration_lost(reason);
}

void SipLine::on_message(std::string_view text, const Endpoint& source) {
    if (stopped_) return;
    // Keepalive CRLFs and anything libosip2 refuses are skipped.
    auto message = SipMessage::parse(text);
    if (!message) return;
    if (message->is_request())
        on_request(*message, source);
    else
        on_response(*message);
}

void SipLine::on_request(const SipMessage& request, const Endpoint& source) {
    const auto method = request.method();
    if (stopping_ && method != "ACK")  // no new calls while the unregistration is answered
        return respond(request, source, 480, "Temporarily Unavailable");
    if (method == "INVITE") {
        // A forking PBX also rings this user agent with its own click-to-dial INVITE.
        if (dial_calls_.owns(request.call_id())) return respond(request, source, 482, "Loop Detected");
        return ring_only_.on_invite(request, source);
    }
    if (method == "CANCEL") return ring_only_.on_cancel(request, source);
    if (method == "ACK") return ring_only_.on_ack(request);
    if (method == "OPTIONS") {
        auto response = SipMessage::response(request, 200, "OK", random_token(8));
        response.add_header("Allow", allowed_methods);
        return send(response.to_string(), source);
    }
    if (method == "NOTIFY") {
        if (dial_calls_.on_notify(request, source)) return;
        return subscription_.on_notify(request, source);
    }
    if (method == "BYE") {
        if (dial_calls_.on_bye(request, source)) return;
        return respond(request, source, 481, "Call/Transaction Does Not Exist");
    }
    respond(request, source, 405, "Method Not Allowed");
}

void SipLine::on_response(const SipMessage& response) {
    if (!transactions_.on_response(response)) dial_calls_.on_stray_response(response);
}

// ---- how the parts meet ----

void SipLine::on_registered() {
    if (!settings_.ring_only()) return subscription_.registered();
    backoff_.reset();
    report_status(DriverState::connected, registered_text());
}

void SipLine::on_registration_lost(const std::string& reason) {
    registration_.reset();
    // The PBX is gone: its calls are gone with it (the core ends them as driver_lost).
    ring_only_.clear();
    dial_calls_.clear();
    subscription_.reset();
    report_status(DriverState::disconnected, reason);
    // A lost TCP connection is opened again first (with a new local port, so a new Contact).
    after(retry_timer_, backoff_.next_ms(), [this] {
        transport_->is_open() ? registration_.retry() : open_transport();
    });
}

void SipLine::on_dialog_changed(CallReport report) {
    if (dial_calls_.takes(report)) return;
    report_call(with_line_defaults(std::move(report)));
}

// The agent's own side of a reported call, where the PBX leaves it out.
CallReport SipLine::with_line_defaults(CallReport report) const {
    auto& own = report.kind == CallReport::Kind::dialing ? report.from : report.to;
    if (own.number.empty()) own.number = settings_.line_number;
    if (own.name.empty()) own.name = settings_.display_name;
    return report;
}

// ---- stopping ----

void SipLine::stop() {
    if (stopping_ || stopped_) return;
    ring_only_.stop();
    dial_calls_.stop();
    stopping_ = true;
    transactions_.clear();  // their answers and timeouts no longer matter
    resolver_.cancel();
    retry_timer_.cancel();
    registration_.stop();
    subscription_.stop();
    // The registrar's answer to the unregistration is waited for, briefly: a TCP connection
    // closed under an unread request is reset, and the PBX drops the request.
    if (!transport_ || !registration_.unregister([this] { finish_stopping(); })) return finish_stopping();
    after(stop_timer_, std::min<std::int64_t>(settings_.transaction_timeout_ms, unregister_wait_ms),
          [this] { finish_stopping(); });
}

// The last step of stop(), once: timers and pending receives are cancelled, not waited for.
void SipLine::finish_stopping() {
    if (stopped_) return;
    stopped_ = true;
    stop_timer_.cancel();
    transactions_.clear();
    if (transport_) transport_->close();
    report_status(DriverState::stopped, "SIP user agent stopped");
}

// ---- what the parts share ----

void SipLine::send(const std::string& text, const Endpoint& to) {
    if (transport_ && !stopped_) transport_->send(text, to);
}

void SipLine::send_request(const SipMessage& request, Done done) {
    if (stopped_) return;
    transactions_.send(request, std::move(done));
}

void SipLine::respond(const SipMessage& request, const Endpoint& source, int status,
                      const std::string& reason) {
    auto response = SipMessage::response(request, status, reason, random_token(8));
    if (status == 405) response.add_header("Allow", allowed_methods);
    send(response.to_string(), source);
}

SipMessage SipLine::new_request(const std::string& method, const std::string& uri, const std::string& to,
                                const std::string& call_id, const std::string& from_tag,
                                unsigned long cseq) const {
    auto aor = "<" + settings_.aor() + ">";
    const auto from = settings_.display_name.empty() ? aor : "\"" + settings_.display_name + "\" " + aor;
    return agent_.request(method, uri, from + ";tag=" + from_tag, to, call_id, cseq, settings_.aor());
}

void SipLine::after(net::steady_timer& timer, std::int64_t ms, std::function<void()> handler) {
    timer.expires_after(std::chrono::milliseconds(ms));
    timer.async_wait([self = shared_from_this(), handler = std::move(handler)](boost::system::error_code error) {
        if (!error && !self->stopped_) handler();
    });
}

void SipLine::report_status(DriverState state, const std::string& detail) {
    if (state == state_ && detail == status_detail_) return;  // retries repeat themselves
    state_ = state;
    status_detail_ = detail;
    send_status({state, detail});
}

}  // namespace cti::sip
