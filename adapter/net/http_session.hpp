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

class HttpSession : public std::enable_shared_from_this<HttpSession> {
public:
    // `already_read`: bytes read off the connection before (by TLS detection), the request's start.
    HttpSession(SessionStream&& stream, ServerContext& context, ConnectionSlots::Slot slot,
                beast::flat_buffer&& already_read = {});
    void run();

private:
    using Request = http::request<http::empty_body>;
    using Response = http::response<http::string_body>;

    void do_read();
    void on_read(beast::error_code ec, std::size_t bytes);
    void handle(Request&& request);
    bool over_limits(const Request& request, std::string_view origin);
    void refuse_for_now(http::status status, std::string_view why, long retry_after_s,
                        std::string_view origin);
    Response respond(const Request& request) const;
    Response serve(const Request& request) const;
    bool may_read_status(const Request& request) const;
    void reply(Response&& response, bool close_after);
    void refuse(http::status status, std::string_view why, bool keep_alive,
                std::optional<long> retry_after_s = {});

    SessionStream stream_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::empty_body>> parser_;
    ServerContext& context_;
    ConnectionSlots::Slot slot_;  // handed on to the WebSocket session after an upgrade
    bool admitted_ = false;       // the connection's first request found a free slot
};

}  // namespace cti
