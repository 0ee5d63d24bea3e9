// The byte stream of one accepted connection: plain TCP, or TLS over it when the adapter serves
// wss:// (docs/TLS.md). HttpSession and WebsocketSession read and write through it without
// knowing which; it meets Beast's AsyncStream requirements and the WebSocket teardown hooks.
//
// Builds without TLS (CTI_WITH_TLS unset: the Windows cross-build) hold only the plain stream.
#pragma once

#include <variant>

#include "net/beast.hpp"

#ifdef CTI_WITH_TLS
#include <boost/asio/ssl.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket/ssl.hpp>
#endif

namespace cti {

class SessionStream {
public:
    using executor_type = beast::tcp_stream::executor_type;
    using PlainStream = beast::tcp_stream;
#ifdef CTI_WITH_TLS
    using TlsStream = beast::ssl_stream<beast::tcp_stream>;
    using Alternatives = std::variant<PlainStream, TlsStream>;
#else
    using Alternatives = std::variant<PlainStream>;
#endif

    explicit SessionStream(tcp::socket&& socket) : stream_(std::in_place_type<PlainStream>, std::move(socket)) {}
    explicit SessionStream(PlainStream&& stream) : stream_(std::in_place_type<PlainStream>, std::move(stream)) {}
#ifdef CTI_WITH_TLS
    explicit SessionStream(TlsStream&& stream) : stream_(std::in_place_type<TlsStream>, std::move(stream)) {}
#endif

    bool is_tls() const { return stream_.index() != 0; }
    executor_type get_executor() { return lowest().get_executor(); }
    // The TCP stream at the bottom, with its timeouts, under TLS or not.
    beast::tcp_stream& lowest() {
        return std::visit([](auto& stream) -> beast::tcp_stream& { return beast::get_lowest_layer(stream); },
                          stream_);
    }
    tcp::socket& socket() { return lowest().socket(); }
    template <class Duration>
    void expires_after(Duration duration) {
        lowest().expires_after(duration);
    }
    void expires_never() { lowest().expires_never(); }

    template <class MutableBuffers, class Token>
    auto async_read_some(const MutableBuffers& buffers, Token&& token) {
        return net::async_initiate<Token, void(beast::error_code, std::size_t)>(
            [this](auto handler, const MutableBuffers& into) {
                std::visit([&](auto& stream) { stream.async_read_some(into, std::move(handler)); }, stream_);
            },
            token, buffers);
    }

    template <class ConstBuffers, class Token>
    auto async_write_some(const ConstBuffers& buffers, Token&& token) {
        return net::async_initiate<Token, void(beast::error_code, std::size_t)>(
            [this](auto handler, const ConstBuffers& from) {
                std::visit([&](auto& stream) { stream.async_write_some(from, std::move(handler)); }, stream_);
            },
            token, buffers);
    }

    // The WebSocket close handshake's last step: a TLS close_notify, then the TCP shutdown.
    template <class Handler>
    friend void async_teardown(beast::role_type role, SessionStream& stream, Handler&& handler) {
        std::visit(
            [&](auto& alternative) {
                using boost::beast::websocket::async_teardown;
                async_teardown(role, alternative, std::forward<Handler>(handler));
            },
            stream.stream_);
    }
    friend void teardown(beast::role_type role, SessionStream& stream, beast::error_code& ec) {
        std::visit(
            [&](auto& alternative) {
                using boost::beast::websocket::teardown;
                teardown(role, alternative, ec);
            },
            stream.stream_);
    }
    // What a WebSocket timeout does: close the socket at once.
    friend void beast_close_socket(SessionStream& stream) {
        beast::error_code ignored;
        stream.socket().close(ignored);
    }

private:
    Alternatives stream_;
};

}  // namespace cti
