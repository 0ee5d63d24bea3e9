#include "net/http_session.hpp"

#include <algorithm>
#include <string>

#include "logging/logging.hpp"
#include "net/websocket_session.hpp"
#include "protocol/http_bodies.hpp"
#include "web/web_assets.hpp"

namespace cti {
namespace {

constexpr std::uint32_t header_limit = 8 * 1024;
constexpr long busy_retry_after_s = 5;  // a full adapter frees a slot when a page closes

std::string_view path_of(std::string_view target) {
    return target.substr(0, target.find_first_of("?#"));
}

std::string status_body(const ServerContext& context) {
    const auto core = context.core.status();
    const auto uptime = std::chrono::duration_cast<std::chrono::seconds>(
        std::chrono::steady_clock::now() - context.started);
    return protocol::encode_status_body({context.core.options().adapter_version, protocol::version,
                                         context.core.options().epoch, uptime.count(), context.port, core.driver,
                                         core.clients, core.active_calls, core.last_seq});
}

// What /probe answers, and /status to a page not trusted with more.
std::string probe_body(const ServerContext& context) {
    return protocol::encode_probe_body(context.core.options().adapter_version);
}

// The token of an `Authorization: Bearer TOKEN` header, or empty.
std::string bearer_token(std::string_view authorization) {
    constexpr std::string_view scheme = "Bearer ";
    if (authorization.size() <= scheme.size() || !beast::iequals(authorization.substr(0, scheme.size()), scheme))
        return {};
    return std::string(authorization.substr(scheme.size()));
}

}  // namespace

HttpSession::HttpSession(SessionStream&& stream, ServerContext& context, beast::flat_buffer&& already_read,
                         PreAuthPool::Ticket ticket)
    : stream_(std::move(stream)),
      buffer_(std::move(already_read)),
      context_(context),
      executor_(stream_.get_executor()),
      ticket_(std::move(ticket)) {}

void HttpSession::run() {
    // The socket's strand comes from the listener; start on it.
    net::dispatch(executor_, beast::bind_front_handler(&HttpSession::start, shared_from_this()));
}

void HttpSession::start() {
    if (ticket_)
        ticket_.hand_over(weak_from_this());
    else
        ticket_ = context_.preauth.enter(weak_from_this());
    do_read();
}

void HttpSession::do_read() {
    parser_.emplace();
    parser_->header_limit(header_limit);
    parser_->body_limit(0);
    // The first request must arrive quickly: until it has, the connection is anybody's and holds
    // a place in the small pre-authentication pool. A kept-alive connection waits longer.
    const auto timeout = request_arrived_ ? context_.limits.handshake_timeout_ms : context_.limits.request_timeout_ms;
    stream_.expires_after(std::chrono::milliseconds(timeout));
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&HttpSession::on_read, shared_from_this()));
}

void HttpSession::evict() {
    net::post(executor_, beast::bind_front_handler(&HttpSession::on_evicted, shared_from_this()));
}

void HttpSession::on_evicted() {
    if (!ticket_ || evicted_) return;  // too late: its request arrived and is being answered
    evicted_ = true;
    ticket_ = {};
    if (request_arrived_) {
        // Kept alive after an answer, and idle: nothing was asked, so nothing is answered (a
        // browser opens a new connection for its next request).
        beast::error_code ignored;
        stream_.close(ignored);
        return;
    }
    context_.refusal_log.log(RefusalKind::busy,
                             fmt::format("refused a connection with 503: its request did not arrive before {} newer "
                                         "connections needed its place (limits.max_unauthenticated)",
                                         context_.preauth.capacity()));
    // The read still pending reads out what the peer sends (so closing does not reset the
    // connection under the answer) until it stops or the request timeout cuts it.
    refuse(http::status::service_unavailable,
           "too many connections waiting to send their request (limits.max_unauthenticated " +
               std::to_string(context_.preauth.capacity()) + ")",
           false, busy_retry_after_s);
}

// Kept alive and waiting for a next request that may never come (a browser keeps a few idle
// connections; an attacker keeps many): back in the pre-authentication pool, its slot free.
// The next request takes a slot again (over_limits).
void HttpSession::wait_for_next_request() {
    slot_.release();
    admitted_ = false;
    ticket_ = context_.preauth.enter(weak_from_this());
}

void HttpSession::on_read(beast::error_code ec, std::size_t) {
    if (evicted_) return;  // answered already
    if (!ec) request_arrived_ = true;
    ticket_ = {};  // a request has arrived (or the connection is over): its place is free
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == net::error::operation_aborted || ec == net::error::connection_reset)
        return;  // the peer went away or said nothing in time: nothing to answer
    if (ec == http::error::header_limit)
        return refuse(http::status::request_header_fields_too_large, "request headers over 8 KiB", false);
    if (ec == http::error::body_limit || ec == http::error::unexpected_body)
        return refuse(http::status::payload_too_large, "request bodies are not accepted", false);
    if (ec) return refuse(http::status::bad_request, "malformed HTTP request", false);
    handle(parser_->release());
}

void HttpSession::handle(Request&& request) {
    const auto host = request[http::field::host];
    const auto origin = request[http::field::origin];
    // RFC 9112, 3.2: more than one Host is a bad request. Only the first is read below, so a
    // good first value would otherwise carry a second one past the check to whatever reads next.
    if (request.count(http::field::host) > 1) {
        context_.refusal_log.log(RefusalKind::host,
                                  fmt::format("refused a request with {} Host headers (the first '{}')",
                                              request.count(http::field::host), printable(host)));
        return refuse(http::status::bad_request, "more than one Host header", false);
    }
    // The Host check keeps DNS rebinding off the TCP port; the Unix socket has no name to rebind.
    if (!stream_.is_local_channel() && !context_.policy.host_allowed(host)) {
        context_.refusal_log.log(
            RefusalKind::host, fmt::format("refused a request for Host '{}' (only 127.0.0.1:{}, localhost:{}, [::1]:{})",
                                           printable(host), context_.port, context_.port, context_.port));
        return refuse(http::status::forbidden, "forbidden Host", false);
    }
    const bool upgrade = websocket::is_upgrade(request);
    // A WebSocket must name an allowed Origin; a plain request may come without one
    // (an address typed into the browser, curl), but a present Origin must be allowed.
    if ((upgrade || !origin.empty()) && !context_.policy.origin_allowed(origin)) {
        // One wording for every kind of request (TROUBLESHOOTING.md tells support to look for it).
        const auto asked = upgrade ? "a WebSocket to " + printable(path_of(request.target()))
                                   : std::string(request.method_string()) + " " + printable(path_of(request.target()));
        context_.refusal_log.log(RefusalKind::origin, fmt::format("refused Origin '{}': not in allowed_origins ({})",
                                                                   printable(origin), asked));
        return refuse(http::status::forbidden, "forbidden Origin", false);
    }
    if (over_limits(request, origin)) return;
    const auto path = path_of(request.target());
    if (upgrade && path == "/ws") {
        stream_.expires_never();  // the WebSocket has its own timeouts
        std::make_shared<WebsocketSession>(std::move(stream_), context_, std::string(origin),
                                           std::move(slot_))
            ->run(std::move(request));
        return;
    }
    if (upgrade) return refuse(http::status::not_found, "WebSockets live at /ws", false);
    reply(respond(request), !request.keep_alive());
}

// max_connections, checked at a connection's first request, and handshakes_per_second for
// every WebSocket upgrade. Both are refused before any upgrade, with a Retry-After.
bool HttpSession::over_limits(const Request& request, std::string_view origin) {
    if (!admitted_) {
        // No Origin (the command line, curl) or the adapter's own page may use the reserved slots.
        const auto& own = context_.policy.own_origins();
        const bool reserved = origin.empty() || std::ranges::find(own, origin) != own.end();
        // A WebSocket that must authenticate first takes its slot when it has (WebsocketSession):
        // pages that never do must not fill the slots of those that do.
        const bool needs_token = websocket::is_upgrade(request) && !context_.policy.is_own_origin(origin) &&
                                 context_.pairing.required();
        std::optional<ConnectionSlots::Slot> slot;
        if (needs_token ? !context_.slots.has_room(reserved) : !(slot = context_.slots.try_occupy(reserved))) {
            refuse_for_now(http::status::service_unavailable,
                           "too many connections (limits.max_connections " +
                               std::to_string(context_.slots.max()) + ")",
                           busy_retry_after_s, origin);
            return true;
        }
        if (slot) slot_ = std::move(*slot);
        admitted_ = true;
    }
    if (!websocket::is_upgrade(request)) return false;
    if (auto retry_after = context_.handshakes.admit()) {
        refuse_for_now(http::status::too_many_requests,
                       "too many WebSocket handshakes (limits.handshakes_per_second " +
                           std::to_string(context_.limits.handshakes_per_second) + ")",
                       *retry_after, origin);
        return true;
    }
    return false;
}

void HttpSession::refuse_for_now(http::status status, std::string_view why, long retry_after_s,
                                 std::string_view origin) {
    context_.refusal_log.log(RefusalKind::busy,
                              fmt::format("refused a connection from Origin '{}' with {}: {}",
                                          origin.empty() ? "(none)" : printable(origin),
                                          static_cast<unsigned>(status), why));
    // Free the slot before the answer goes out: a client that retries on reading it must not
    // find its own refused connection still counted.
    slot_.release();
    refuse(status, why, false, retry_after_s);
}

HttpSession::Response HttpSession::respond(const Request& request) const {
    const auto path = path_of(request.target());
    Response response;
    if (path == "/ws") {
        response.result(http::status::upgrade_required);
        response.set(http::field::upgrade, "websocket");
        response.body() = "this address takes WebSocket connections\n";
    } else if (request.method() == http::verb::options) {
        response.result(http::status::no_content);
        response.set(http::field::access_control_allow_methods, "GET, HEAD, OPTIONS");
        // Authorization: a paired page shows its token to read the whole of /status.
        response.set(http::field::access_control_allow_headers, "Content-Type, Authorization");
        response.set(http::field::access_control_max_age, "600");
        // Chrome's Private Network Access preflight: a public page asking for a loopback
        // address. The origin is already known to be allowed (handle() refused the others).
        if (beast::iequals(request["Access-Control-Request-Private-Network"], "true"))
            response.set("Access-Control-Allow-Private-Network", "true");
    } else if (request.method() != http::verb::get && request.method() != http::verb::head) {
        response.result(http::status::method_not_allowed);
        response.set(http::field::allow, "GET, HEAD, OPTIONS");
        response.body() = "nothing here changes state over HTTP; use the WebSocket at /ws\n";
    } else {
        response = serve(request);
    }
    const auto origin = request[http::field::origin];
    if (!origin.empty()) {  // already checked: it is allowed
        response.set(http::field::access_control_allow_origin, origin);
        response.set(http::field::vary, "Origin");
    }
    response.set(http::field::server, "cti-adapter");
    response.set("X-Content-Type-Options", "nosniff");
    response.version(request.version());
    response.keep_alive(request.keep_alive());
    if (response.find(http::field::content_type) == response.end())
        response.set(http::field::content_type, "text/plain; charset=utf-8");
    const bool head = request.method() == http::verb::head;
    response.prepare_payload();
    if (head) response.body().clear();
    return response;
}

HttpSession::Response HttpSession::serve(const Request& request) const {
    const auto path = path_of(request.target());
    Response response{http::status::ok, request.version()};
    response.set(http::field::cache_control, "no-store");
    if (path == "/probe") {
        // What a page fetches on a user gesture so the browser asks for local network access
        // before the WebSocket opens; it tells nothing but what answers (docs/PROTOCOL.md, 7).
        response.set(http::field::content_type, "application/json");
        response.body() = probe_body(context_);
    } else if (path == "/health") {
        response.set(http::field::content_type, "application/json");
        response.body() = protocol::encode_health_body(context_.core.options().adapter_version);
    } else if (path == "/status") {
        response.set(http::field::content_type, "application/json");
        response.body() = may_read_status(request) ? status_body(context_) : probe_body(context_);
    } else if (path == "/favicon.ico") {
        response.result(http::status::no_content);  // browsers ask for it; nothing to show
    } else if (const auto* asset = web::find_asset(path == "/pair" ? "/pair.html" : path)) {
        response.set(http::field::content_type, asset->content_type);
        response.set(http::field::cache_control, "no-cache");
        // The page talks only to this adapter and must not be framed by another site
        // (an Answer button under someone else's page is a clickjacking target).
        response.set("Content-Security-Policy",
                     "default-src 'self'; connect-src 'self' ws://127.0.0.1:* ws://localhost:* "
                     "wss://127.0.0.1:* wss://localhost:*; "
                     "frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
        response.body() = std::string(asset->body);
    } else {
        response.result(http::status::not_found);
        response.body() = "not found\n";
    }
    return response;
}

// The whole of /status (clients, calls, the driver's detail: polling it shows when the agent is
// on a call) is for the adapter's own page, the command line (no Origin), and pages that show
// their pairing's token; an allowed origin without one learns only what /probe tells.
bool HttpSession::may_read_status(const Request& request) const {
    const auto origin = request[http::field::origin];
    if (origin.empty() || context_.policy.is_own_origin(origin) || !context_.pairing.required()) return true;
    const auto token = bearer_token(request[http::field::authorization]);
    return !token.empty() && context_.pairing.holds_pairing(std::string(origin), token);
}

void HttpSession::refuse(http::status status, std::string_view why, bool keep_alive,
                         std::optional<long> retry_after_s) {
    Response response{status, 11};
    response.set(http::field::server, "cti-adapter");
    if (retry_after_s) response.set(http::field::retry_after, std::to_string(*retry_after_s));
    response.set(http::field::content_type, "text/plain; charset=utf-8");
    response.body() = std::string(why) + "\n";
    response.keep_alive(keep_alive);
    response.prepare_payload();
    reply(std::move(response), !keep_alive);
}

void HttpSession::reply(Response&& response, bool close_after) {
    auto shared = std::make_shared<Response>(std::move(response));
    http::async_write(stream_, *shared,
                      [self = shared_from_this(), shared, close_after](beast::error_code ec, std::size_t) {
                          if (ec || close_after) {
                              beast::error_code ignored;
                              self->stream_.shutdown_send(ignored);
                              return;
                          }
                          self->wait_for_next_request();
                          self->do_read();
                      });
}

}  // namespace cti
