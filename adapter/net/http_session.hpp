// One browser (or CLI) connection before it becomes a WebSocket: reads HTTP requests, applies
// the access policy, serves the page, /health and /status, and hands an accepted upgrade to a
// websocket_session.
#pragma once

#include <memory>
#include <optional>

#include "net/beast.hpp"
#include "net/server_context.hpp"
#include "net/session_stream.hpp"

namespace cti {

class HttpSession final : public PreAuthMember, public std::enable_shared_from_this<HttpSession> {
public:
    // `already_read`: bytes read off the connection before (by TLS detection), the request's start;
    // `ticket`: the place in the pre-authentication pool TLS detection held (else one is taken).
    HttpSession(SessionStream&& stream, ServerContext& context, beast::flat_buffer&& already_read = {},
                PreAuthPool::Ticket ticket = {});
    void run();
    // Before its first request has arrived: answered 503 and ended (PreAuthPool); idle between
    // kept-alive requests: closed.
    void evict() override;

private:
    using Request = http::request<http::empty_body>;
    using Response = http::response<http::string_body>;

    void start();
    void do_read();
    void on_evicted();
    void wait_for_next_request();
    void on_read(beast::error_code ec, std::size_t bytes);
    void handle(Request&& request);
    bool over_limits(const Request& request, std::string_view origin);
    void refuse_for_now(http::status status, std::string_view why, long retry_after_s,
                        std::string_view origin);
    Response respond(const Request& request) const;
    Response serve(const Request& request) const;
    void reply(Response&& response, bool close_after);
    void refuse(http::status status, std::string_view why, bool keep_alive,
                std::optional<long> retry_after_s = {});

    SessionStream stream_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::empty_body>> parser_;
    ServerContext& context_;
    net::any_io_executor executor_;  // the connection's strand, for evict() from other threads
    PreAuthPool::Ticket ticket_;     // while waiting for a request (the first, or the next one kept alive)
    ConnectionSlots::Slot slot_;     // while a request is answered; handed on to the WebSocket session after an upgrade
    bool request_arrived_ = false;   // a first request was read: later ones have handshake_timeout_ms
    bool evicted_ = false;           // answered 503 for the pool; what it still sends is dropped
    bool admitted_ = false;          // the request being answered found a free slot
};

}  // namespace cti
