#include "pbx_emulator.hpp"

#include <charconv>

#include "frame_fields.hpp"
#include "sip_text.hpp"

namespace cti::bench {
namespace {

constexpr std::string_view call_id_prefix = "bench-";
constexpr std::string_view agent_user = "1001";
constexpr std::string_view pbx_tag = "pbx-dialogs";

std::string call_id(std::size_t call) { return std::string(call_id_prefix) + std::to_string(call) + "@127.0.0.1"; }

std::optional<std::size_t> call_of_call_id(std::string_view id) {
    if (!id.starts_with(call_id_prefix)) return std::nullopt;
    id.remove_prefix(call_id_prefix.size());
    std::size_t call = 0;
    const auto [end, error] = std::from_chars(id.data(), id.data() + id.size(), call);
    if (error != std::errc() || end == id.data()) return std::nullopt;
    return call;
}

std::string caller_uri(std::size_t call) { return "sip:" + caller_number(call) + "@127.0.0.1"; }
std::string caller_from(std::size_t call) {
    return "\"Caller " + std::to_string(call) + "\" <" + caller_uri(call) + ">;tag=c" + std::to_string(call);
}

}  // namespace

PbxEmulator::PbxEmulator(SipMode mode, CallBook& book) : mode_(mode), book_(book) {
    socket_.open(net::ip::udp::v4());
    // Bursts of a paced run must not be dropped by the emulator itself.
    socket_.set_option(net::socket_base::receive_buffer_size(4 * 1024 * 1024));
    socket_.bind(net::ip::udp::endpoint(net::ip::address_v4::loopback(), 0));
    port_ = socket_.local_endpoint().port();
    receive();
    thread_ = std::thread([this] {
        auto work = net::make_work_guard(io_);
        io_.run();
    });
}

PbxEmulator::~PbxEmulator() {
    io_.stop();
    if (thread_.joinable()) thread_.join();
}

bool PbxEmulator::wait_ready(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [this] { return ready_; });
}

PbxCounters PbxEmulator::counters() {
    std::lock_guard lock(mutex_);
    return counters_;
}

bool PbxEmulator::wait_cancelled(std::size_t calls, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return counters_.cancelled >= calls; });
}

void PbxEmulator::ring(std::size_t call) {
    net::post(io_, [this, call] {
        cancel_on_ringing_ = false;
        if (mode_ == SipMode::ring_only)
            send_invite(call);
        else
            send_dialog_notify(call, false);
    });
}

void PbxEmulator::end(std::size_t call) {
    net::post(io_, [this, call] {
        if (mode_ == SipMode::ring_only)
            send_cancel(call);
        else
            send_dialog_notify(call, true);
    });
}

void PbxEmulator::ring_paced(std::size_t calls, double per_second) {
    const auto interval = std::chrono::nanoseconds(static_cast<std::int64_t>(1e9 / per_second));
    net::post(io_, [this, calls, interval] {
        cancel_on_ringing_ = true;
        pacer_ = std::make_unique<net::steady_timer>(io_);
        pace(0, calls, interval, std::chrono::steady_clock::now());
    });
}

// Open loop: call n leaves at start + n * interval whatever happened to the ones before.
void PbxEmulator::pace(std::size_t next, std::size_t calls, std::chrono::nanoseconds interval,
                       std::chrono::steady_clock::time_point start) {
    if (next >= calls) return;
    send_invite(next);
    pacer_->expires_at(start + interval * static_cast<std::int64_t>(next + 1));
    pacer_->async_wait([this, next, calls, interval, start](boost::system::error_code ec) {
        if (!ec) pace(next + 1, calls, interval, start);
    });
}

void PbxEmulator::receive() {
    socket_.async_receive_from(net::buffer(buffer_), sender_, [this](boost::system::error_code ec, std::size_t size) {
        if (ec == net::error::operation_aborted) return;
        if (!ec) on_datagram(std::string_view(buffer_.data(), size));
        receive();
    });
}

void PbxEmulator::on_datagram(std::string_view text) {
    if (sip::start_line(text).empty()) return;  // keepalive CRLFs
    if (sip::is_request(text))
        on_request(text);
    else
        on_response(text);
}

void PbxEmulator::on_request(std::string_view request) {
    const auto method = sip::method(request);
    if (method == "REGISTER") {
        driver_ = sender_;
        // A REGISTER without Contact (the monitor mode's binding query) gets no Contact back.
        const auto contact = std::string(sip::header(request, "Contact"));
        const auto binding = contact.empty() ? std::string{} : "Contact: " + contact + ";expires=600\r\n";
        send(sip::response(request, 200, "OK", "pbx-registrar", binding + "Expires: 600\r\n"));
        if (mode_ == SipMode::ring_only) mark_ready();
    } else if (method == "SUBSCRIBE") {
        subscription_call_id_ = sip::header(request, "Call-ID");
        subscriber_aor_ = sip::header(request, "From");
        send(sip::response(request, 200, "OK", pbx_tag,
                           "Contact: <sip:pbx@" + local() + ">\r\nExpires: 600\r\n"));
        // RFC 6665: the first NOTIFY follows at once, with the current (empty) state.
        send_notify(R"(<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version=")" +
                    std::to_string(dialog_info_version_++) + R"(" state="full" entity="sip:1001@127.0.0.1"/>)");
        mark_ready();
    } else if (method == "OPTIONS") {
        send(sip::response(request, 200, "OK", "pbx-keepalive"));
    } else if (method != "ACK") {
        send(sip::response(request, 405, "Method Not Allowed", "pbx"));
    }
}

void PbxEmulator::on_response(std::string_view response) {
    const auto code = sip::status(response);
    const auto call = call_of_call_id(sip::header(response, "Call-ID"));
    if (!call || !sip::header(response, "CSeq").ends_with("INVITE")) return;  // CANCEL, NOTIFY answers
    if (code == 180) {
        {
            std::lock_guard lock(mutex_);
            ++counters_.ringing;
        }
        if (cancel_on_ringing_) send_cancel(*call);
    } else if (code >= 300) {
        send_ack(*call, response);
        std::lock_guard lock(mutex_);
        if (code == 487) ++counters_.cancelled;
        changed_.notify_all();
    }
}

void PbxEmulator::send(const std::string& text) {
    boost::system::error_code ignored;  // UDP; a loss shows up as a call that never popped
    socket_.send_to(net::buffer(text), driver_, 0, ignored);
}

std::string PbxEmulator::local() const { return "127.0.0.1:" + std::to_string(port_); }

std::string PbxEmulator::invite_branch(std::size_t call) const { return "z9hG4bKbench" + std::to_string(call); }

void PbxEmulator::send_invite(std::size_t call) {
    const auto target = "sip:" + std::string(agent_user) + "@" + driver_.address().to_string() + ":" +
                        std::to_string(driver_.port());
    std::string text = "INVITE " + target + " SIP/2.0\r\n";
    text += "Via: SIP/2.0/UDP " + local() + ";branch=" + invite_branch(call) + "\r\n";
    text += "Max-Forwards: 70\r\n";
    text += "From: " + caller_from(call) + "\r\n";
    text += "To: <sip:" + std::string(agent_user) + "@127.0.0.1>\r\n";
    text += "Call-ID: " + call_id(call) + "\r\n";
    text += "CSeq: 1 INVITE\r\n";
    text += "Contact: <" + caller_uri(call) + ">\r\n";
    text += "Content-Length: 0\r\n\r\n";
    {
        std::lock_guard lock(mutex_);
        ++counters_.rung;
    }
    book_.mark_sent(call);
    send(text);
}

void PbxEmulator::send_cancel(std::size_t call) {
    send(invite_transaction_request("CANCEL", call, "<sip:" + std::string(agent_user) + "@127.0.0.1>"));
}

// RFC 3261 17.1.1.3: a non-2xx final answer to an INVITE is ACKed in the same transaction.
void PbxEmulator::send_ack(std::size_t call, std::string_view response) {
    send(invite_transaction_request("ACK", call, sip::header(response, "To")));
}

// CANCEL and the ACK of a failure belong to the INVITE's transaction: same branch, same CSeq.
std::string PbxEmulator::invite_transaction_request(std::string_view method, std::size_t call,
                                                    std::string_view to) const {
    std::string text = std::string(method) + " sip:" + std::string(agent_user) + "@" +
                       driver_.address().to_string() + ":" + std::to_string(driver_.port()) + " SIP/2.0\r\n";
    text += "Via: SIP/2.0/UDP " + local() + ";branch=" + invite_branch(call) + "\r\n";
    text += "Max-Forwards: 70\r\n";
    text += "From: " + caller_from(call) + "\r\n";
    text += "To: " + std::string(to) + "\r\n";
    text += "Call-ID: " + call_id(call) + "\r\n";
    text += "CSeq: 1 " + std::string(method) + "\r\n";
    text += "Content-Length: 0\r\n\r\n";
    return text;
}

void PbxEmulator::send_dialog_notify(std::size_t call, bool terminated) {
    std::string body = R"(<?xml version="1.0"?>)"
                       R"(<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version=")" +
                       std::to_string(dialog_info_version_++) + R"(" state="partial" entity="sip:1001@127.0.0.1">)";
    body += R"(<dialog id="d)" + std::to_string(call) + R"(" call-id=")" + call_id(call) + R"(" direction="recipient">)";
    body += terminated ? "<state>terminated</state>" : "<state>early</state>";
    body += R"(<remote><identity display="Caller )" + std::to_string(call) + R"(">)" + caller_uri(call) +
            "</identity></remote></dialog></dialog-info>";
    if (!terminated) {
        std::lock_guard lock(mutex_);
        ++counters_.rung;
    }
    if (!terminated) book_.mark_sent(call);
    send_notify(body);
}

void PbxEmulator::send_notify(const std::string& body) {
    std::string text = "NOTIFY sip:" + std::string(agent_user) + "@" + driver_.address().to_string() + ":" +
                       std::to_string(driver_.port()) + " SIP/2.0\r\n";
    text += "Via: SIP/2.0/UDP " + local() + ";branch=z9hG4bKnotify" + std::to_string(notify_cseq_ + 1) + "\r\n";
    text += "Max-Forwards: 70\r\n";
    text += "From: <sip:" + std::string(agent_user) + "@127.0.0.1>;tag=" + std::string(pbx_tag) + "\r\n";
    text += "To: " + subscriber_aor_ + "\r\n";
    text += "Call-ID: " + subscription_call_id_ + "\r\n";
    text += "CSeq: " + std::to_string(++notify_cseq_) + " NOTIFY\r\n";
    text += "Contact: <sip:pbx@" + local() + ">\r\n";
    text += "Event: dialog\r\n";
    text += "Subscription-State: active;expires=600\r\n";
    text += "Content-Type: application/dialog-info+xml\r\n";
    text += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
    text += body;
    send(text);
}

void PbxEmulator::mark_ready() {
    std::lock_guard lock(mutex_);
    ready_ = true;
    changed_.notify_all();
}

}  // namespace cti::bench
