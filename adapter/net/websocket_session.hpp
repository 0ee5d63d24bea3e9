// One connected page. A strand of its own, one write in flight, a bounded send queue.
//
// The core hands it frames through ClientConnection::deliver() from the core's strand; they
// are queued here and written one at a time. A page that stops reading fills its queue and is
// closed with 4008 instead of holding memory or slowing the others.
#pragma once

#include <deque>
#include <memory>
#include <string>

#include "core/client_connection.hpp"
#include "net/beast.hpp"
#include "net/server_context.hpp"
#include "net/session_stream.hpp"

namespace cti {

class WebsocketSession final : public ClientConnection,
                               public std::enable_shared_from_this<WebsocketSession> {
public:
    WebsocketSession(SessionStream&& stream, ServerContext& context, std::string origin);
    ~WebsocketSession() override;

    void run(http::request<http::empty_body> request);

    void deliver(protocol::Frame frame) override;
    void close(std::uint16_t code, std::string reason) override;
    const std::string& label() const override { return label_; }

private:
    void on_accept(beast::error_code ec);
    void do_read();
    void on_read(beast::error_code ec, std::size_t bytes);
    void enqueue(protocol::Frame frame);
    void do_write();
    void on_write(beast::error_code ec, std::size_t bytes);
    void begin_close(std::uint16_t code, std::string reason, bool drop_queued);
    void do_close();
    void fail(beast::error_code ec, std::string_view what);

    websocket::stream<SessionStream> ws_;
    beast::flat_buffer buffer_;
    ServerContext& context_;
    std::string label_;
    std::deque<protocol::Frame> queue_;  // front() is being written
    bool writing_ = false;
    bool attached_ = false;
    bool closing_ = false;
    bool discarding_ = false;  // reading out an oversized message after closing with 1009
    websocket::close_reason close_reason_;
    net::steady_timer close_deadline_;
};

}  // namespace cti
