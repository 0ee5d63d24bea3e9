// One connected page. A strand of its own, one write in flight, a bounded send queue.
//
// The core hands it frames through ClientConnection::deliver() from the core's strand; they
// are queued here and written one at a time. A page that stops reading fills its queue and is
// closed with 4008 instead of holding memory or slowing the others.
//
// Frames delivered in one burst (call.ringing and screen_pop come from one core handler) reach
// the strand in one handler through the inbox, and frames queued together leave in one system
// call (SessionStream's write coalescing): with 1,000 pages, a page's pop no longer waits for
// the ringing of all the others (docs/PERFORMANCE.md).
//
// A page of another origin starts unauthenticated (docs/PROTOCOL.md, section 1.3): it gets a
// short hello and may only `authenticate` or `pair`; it is attached to the core, and gets
// events and may send commands, only once it holds a valid token.
#pragma once

#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/client_connection.hpp"
#include "net/beast.hpp"
#include "net/server_context.hpp"
#include "pairing/pairing_waiter.hpp"
#include "net/session_stream.hpp"

namespace cti {

class WebsocketSession final : public ClientConnection,
                               public PairingWaiter,
                               public PreAuthMember,
                               public std::enable_shared_from_this<WebsocketSession> {
public:
    WebsocketSession(SessionStream&& stream, ServerContext& context, std::string origin,
                     ConnectionSlots::Slot slot = {});
    ~WebsocketSession() override;

    void run(http::request<http::empty_body> request);

    void deliver(protocol::Frame frame) override;
    void close(std::uint16_t code, std::string reason) override;
    const std::string& label() const override { return label_; }
    bool own_origin() const override { return own_origin_; }
    const std::string& rate_key() const override { return rate_key_; }

    void on_paired(std::string token, std::string pairing_id) override;
    void on_pairing_failed(std::string reason) override;
    // Not authenticated yet, and the pre-authentication pool needs its place: closed with 1013.
    void evict() override;

private:
    void on_accept(beast::error_code ec);
    void do_read();
    void on_read(beast::error_code ec, std::size_t bytes);
    void attach(const std::string& pairing_id);
    // Before authentication (websocket_session_auth.cpp).
    void handle_unauthenticated(const std::string& text);
    void authenticate(const protocol::Command& command);
    void request_pairing(const protocol::Command& command);
    void end_pairing_request();
    void start_auth_deadline();
    // A slot of limits.max_connections for a page that has just authenticated; false (and
    // closing with 1013) when none is free.
    bool take_slot();
    // The user's decision came (or the request expired) without a token: back to the short deadline.
    void back_from_pairing();
    void refuse_unauthenticated(std::string_view why);
    void take_inbox();
    void enqueue(protocol::Frame frame);
    bool push(protocol::Frame frame);
    void do_write();
    void on_write(beast::error_code ec, std::size_t bytes);
    void begin_close(std::uint16_t code, std::string reason, bool drop_queued);
    void do_close();
    void fail(beast::error_code ec, std::string_view what);

    websocket::stream<SessionStream> ws_;
    beast::flat_buffer buffer_;
    ServerContext& context_;
    std::string origin_;
    std::string label_;
    bool own_origin_ = false;
    std::string rate_key_;  // the origin's, then the pairing's once authenticated
    std::string pairing_request_;  // the pending request's id, while the user decides
    net::steady_timer pairing_deadline_;
    net::steady_timer auth_deadline_;  // limits.auth_timeout_ms, while not waiting for pairing
    PreAuthPool::Ticket ticket_;       // until attached
    std::mutex inbox_mutex_;
    std::vector<protocol::Frame> inbox_;     // delivered, not on the strand yet (inbox_mutex_)
    std::vector<protocol::Frame> taken_;     // the inbox being queued (swapped, capacity kept)
    std::deque<protocol::Frame> queue_;  // front() is being written
    bool writing_ = false;
    bool attached_ = false;
    bool closing_ = false;
    bool discarding_ = false;  // reading out an oversized message after closing with 1009
    websocket::close_reason close_reason_;
    net::steady_timer close_deadline_;
    ConnectionSlots::Slot slot_;  // counts against limits.max_connections while open
};

}  // namespace cti
