#include "net/websocket_session.hpp"

#include "logging/logging.hpp"

namespace cti {
namespace {

// Before authenticating a page needs one `authenticate`, or a `pair` and perhaps another after
// a refusal. Each refused `pair` is answered and logged, so more than this is a flood.
constexpr std::size_t frames_before_authenticating = 5;
constexpr double frames_before_authenticating_per_second = 0.2;

}  // namespace

WebsocketSession::WebsocketSession(SessionStream&& stream, ServerContext& context, std::string origin,
                                   ConnectionSlots::Slot slot)
    : ws_(std::move(stream)),
      context_(context),
      origin_(std::move(origin)),
      label_("client " + std::to_string(context.next_client_number++) + " (" +
             printable(origin_) + ")"),
      own_origin_(context.policy.is_own_origin(origin_)),
      rate_key_("origin " + origin_),
      pairing_deadline_(ws_.get_executor()),
      unauthenticated_frames_(frames_before_authenticating, frames_before_authenticating_per_second),
      auth_deadline_(ws_.get_executor()),
      close_deadline_(ws_.get_executor()),
      slot_(std::move(slot)) {
    beast::error_code ignored;
    // Events come in pairs (call.ringing, then screen_pop): with Nagle's algorithm the second
    // waits for the page's delayed ACK of the first, up to 40 ms on Linux (docs/PERFORMANCE.md).
    ws_.next_layer().set_no_delay(ignored);
    if (context_.limits.socket_send_buffer > 0)
        ws_.next_layer().set_send_buffer_size(static_cast<int>(context_.limits.socket_send_buffer), ignored);
}

WebsocketSession::~WebsocketSession() {
    // Once the io_context has stopped, the service is being torn down and the core may be gone;
    // sessions destroyed then are only pending handlers being discarded.
    if (context_.io.stopped()) return;
    if (!pairing_request_.empty()) context_.pairing.withdraw(pairing_request_);
    if (!attached_) {
        context_.unauthenticated.remove(this);
        return;
    }
    spdlog::info("{} disconnected", label_);
    context_.core.detach(this);
}

void WebsocketSession::run(http::request<http::empty_body> request) {
    websocket::stream_base::timeout timeout{};
    timeout.handshake_timeout = std::chrono::milliseconds(context_.limits.handshake_timeout_ms);
    timeout.idle_timeout = std::chrono::milliseconds(context_.limits.idle_timeout_ms);
    timeout.keep_alive_pings = true;
    ws_.set_option(timeout);
    // The message limit is enforced in on_read, where an oversized message can be closed with
    // 1009 gracefully; Beast's own limit stays only as a backstop for absurd frames.
    ws_.read_message_max(16 * 1024 * 1024);
    ws_.set_option(websocket::stream_base::decorator([](websocket::response_type& response) {
        response.set(http::field::server, "cti-adapter");
    }));
    ws_.text(true);
    ws_.async_accept(request, beast::bind_front_handler(&WebsocketSession::on_accept,
                                                        shared_from_this()));
}

void WebsocketSession::on_accept(beast::error_code ec) {
    if (ec) return fail(ec, "accept");
    if (own_origin_ || !context_.pairing.required()) {
        attach({});
    } else {
        spdlog::debug("{} connected; waiting for it to authenticate or pair", label_);
        context_.unauthenticated.add(this, weak_from_this());
        // Until it holds a token it is anybody's: a place in the small pool, and a short deadline.
        ticket_ = context_.preauth.enter(std::weak_ptr<PreAuthMember>(shared_from_this()), origin_);
        start_auth_deadline();
        enqueue(protocol::encode_hello_auth_required(context_.core.options().adapter_version));
    }
    do_read();
}

void WebsocketSession::attach(const std::string& pairing_id) {
    attached_ = true;
    ticket_ = {};
    auth_deadline_.cancel();
    context_.unauthenticated.remove(this);
    if (!pairing_id.empty()) {
        // Every connection of one pairing shares its command rates, whichever origin it has.
        rate_key_ = "pairing " + pairing_id;
        context_.pairing.watch(pairing_id, weak_from_this());
    }
    context_.core.attach(shared_from_this());
}

void WebsocketSession::do_read() {
    constexpr std::size_t chunk = 16 * 1024;
    ws_.async_read_some(buffer_, chunk,
                        beast::bind_front_handler(&WebsocketSession::on_read, shared_from_this()));
}

void WebsocketSession::on_read(beast::error_code ec, std::size_t) {
    if (ec) return fail(ec, "read");
    if (discarding_) {
        // After a 1009 the rest of the message is read and dropped, so the peer's close reply
        // still arrives (closing with unread data would reset the connection instead).
        buffer_.consume(buffer_.size());
        return do_read();
    }
    if (buffer_.size() > context_.limits.max_message_bytes) {
        context_.refusal_log.log(RefusalKind::oversized_message,
                                 fmt::format("{} sent a message over {} bytes; closing it with {}", label_,
                                             context_.limits.max_message_bytes, close_code::too_big));
        buffer_.consume(buffer_.size());
        discarding_ = true;
        begin_close(close_code::too_big, "message too big", true);
        return do_read();
    }
    if (!ws_.is_message_done()) return do_read();
    if (!ws_.got_text()) {
        if (attached_) enqueue(protocol::encode_frame_error("binary_frame", "frames must be JSON text, not binary"));
        else if (!closing_) refuse_unauthenticated("a binary frame before authenticating");
    } else if (attached_) {
        context_.core.submit(weak_from_this(), beast::buffers_to_string(buffer_.data()));
    } else if (!closing_) {
        handle_unauthenticated(beast::buffers_to_string(buffer_.data()));
    }
    buffer_.consume(buffer_.size());
    do_read();
}

// One handler per burst, not per frame: only the frame that finds the inbox empty posts.
void WebsocketSession::deliver(protocol::Frame frame) {
    bool first = false;
    {
        std::lock_guard lock(inbox_mutex_);
        first = inbox_.empty();
        inbox_.push_back(std::move(frame));
    }
    if (first) net::post(ws_.get_executor(), [self = shared_from_this()] { self->take_inbox(); });
}

void WebsocketSession::take_inbox() {
    {
        std::lock_guard lock(inbox_mutex_);
        taken_.swap(inbox_);
    }
    bool queued = false;
    for (auto& frame : taken_) queued = push(std::move(frame)) || queued;
    taken_.clear();
    if (queued && !writing_) do_write();
}

void WebsocketSession::close(std::uint16_t code, std::string reason) {
    net::post(ws_.get_executor(), [self = shared_from_this(), code, reason = std::move(reason)]() mutable {
        self->begin_close(code, std::move(reason), false);
    });
}

void WebsocketSession::enqueue(protocol::Frame frame) {
    if (push(std::move(frame)) && !writing_) do_write();
}

// Queues a frame; false when it is not queued (closing, or the queue is full and the page is
// being closed for it).
bool WebsocketSession::push(protocol::Frame frame) {
    if (closing_) return false;
    if (queue_.size() >= context_.limits.client_queue_limit) {
        context_.refusal_log.log(RefusalKind::not_reading,
                                 fmt::format("{} is not reading: {} frames queued; closing it with {}", label_,
                                             queue_.size(), close_code::too_slow));
        begin_close(close_code::too_slow, "client too slow: send queue full", true);
        return false;
    }
    queue_.push_back(std::move(frame));
    return true;
}

void WebsocketSession::do_write() {
    writing_ = true;
    // More frames right behind this one: keep its bytes and send them with the last of them.
    ws_.next_layer().hold_writes(queue_.size() > 1);
    ws_.async_write(net::buffer(*queue_.front()),
                    beast::bind_front_handler(&WebsocketSession::on_write, shared_from_this()));
}

void WebsocketSession::on_write(beast::error_code ec, std::size_t) {
    writing_ = false;
    if (ec) return fail(ec, "write");
    queue_.pop_front();
    if (!queue_.empty()) return do_write();
    ws_.next_layer().hold_writes(false);  // idle: pings and pongs go out at once
    if (closing_) do_close();
}

void WebsocketSession::begin_close(std::uint16_t code, std::string reason, bool drop_queued) {
    if (closing_) return;
    closing_ = true;
    close_reason_ = websocket::close_reason(static_cast<websocket::close_code>(code), reason);
    if (drop_queued && !queue_.empty()) queue_.erase(queue_.begin() + (writing_ ? 1 : 0), queue_.end());
    // A peer that never reads would keep the close waiting forever; cut it off after a while.
    close_deadline_.expires_after(std::chrono::milliseconds(context_.limits.handshake_timeout_ms));
    close_deadline_.async_wait([self = shared_from_this()](beast::error_code ec) {
        if (ec) return;
        beast::error_code ignored;
        self->ws_.next_layer().close(ignored);
    });
    if (!writing_) do_close();
}

void WebsocketSession::do_close() {
    ws_.next_layer().hold_writes(false);  // queued frames may have been dropped: send what is kept
    ws_.async_close(close_reason_, [self = shared_from_this()](beast::error_code) {
        self->close_deadline_.cancel();
    });
}

void WebsocketSession::fail(beast::error_code ec, std::string_view what) {
    // The connection is finished: nothing left for the close deadline to cut off, and it must
    // not keep this session (and a shutdown waiting for it) alive.
    close_deadline_.cancel();
    pairing_deadline_.cancel();
    auth_deadline_.cancel();
    if (ec == net::error::operation_aborted || ec == websocket::error::closed ||
        ec == net::error::eof || ec == net::error::connection_reset || ec == beast::error::timeout)
        return spdlog::debug("{}: {} ended: {}", label_, what, ec.message());
    spdlog::info("{}: {} failed: {}", label_, what, ec.message());
}

}  // namespace cti
