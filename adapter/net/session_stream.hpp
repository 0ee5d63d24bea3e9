// The byte stream of one accepted connection: plain TCP, TLS over it when the adapter serves
// wss:// (docs/TLS.md), or the same-user channel of the native messaging host
// (docs/BROWSER-EXTENSION.md): a Unix domain socket, or a named pipe on Windows. HttpSession and WebsocketSession read and write through it
// without knowing which; it meets Beast's AsyncStream requirements and the WebSocket teardown
// hooks. What differs between the sockets (TCP options, shutdown, close) is in the members below.
//
// Builds without TLS (CTI_WITH_TLS unset: the Windows cross-build) hold no TLS stream; builds
// without CTI_WITH_UNIX_SOCKET (Windows) no Unix stream, builds without CTI_WITH_NAMED_PIPE
// (all but Windows) no pipe.
//
// Write coalescing: Beast writes one WebSocket message per call, so frames queued together for a
// page (call.ringing and its screen_pop) would cost one system call each, and with many pages
// the second frame of every page waits for the first frame of all the others. While writes are
// held (hold_writes, set by WebsocketSession when more frames are queued right behind), a write
// is kept here and completes at once; the next write that is not held sends everything kept in
// front of its own bytes, in one go. Beast writes one message or control frame at a time, so
// the kept bytes always leave in the order Beast wrote them.
#pragma once

#include <memory>
#include <string>
#include <variant>

#include "net/beast.hpp"

#ifdef CTI_WITH_TLS
#include <boost/asio/ssl.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket/ssl.hpp>
#endif
#ifdef CTI_WITH_NAMED_PIPE
#include "net/pipe_stream.hpp"
#endif

namespace cti {

class SessionStream {
public:
    using executor_type = beast::tcp_stream::executor_type;
    using PlainStream = beast::tcp_stream;
#ifdef CTI_WITH_TLS
    using TlsStream = beast::ssl_stream<beast::tcp_stream>;
#endif
#ifdef CTI_WITH_UNIX_SOCKET
    using UnixStream = beast::basic_stream<net::local::stream_protocol>;
#endif
    using Alternatives = std::variant<PlainStream
#ifdef CTI_WITH_TLS
                                      ,
                                      TlsStream
#endif
#ifdef CTI_WITH_UNIX_SOCKET
                                      ,
                                      UnixStream
#endif
#ifdef CTI_WITH_NAMED_PIPE
                                      ,
                                      PipeStream
#endif
                                      >;

    explicit SessionStream(tcp::socket&& socket) : stream_(std::in_place_type<PlainStream>, std::move(socket)) {}
    explicit SessionStream(PlainStream&& stream) : stream_(std::in_place_type<PlainStream>, std::move(stream)) {}
#ifdef CTI_WITH_TLS
    explicit SessionStream(TlsStream&& stream) : stream_(std::in_place_type<TlsStream>, std::move(stream)) {}
#endif
#ifdef CTI_WITH_UNIX_SOCKET
    explicit SessionStream(net::local::stream_protocol::socket&& socket)
        : stream_(std::in_place_type<UnixStream>, std::move(socket)) {}
#endif
#ifdef CTI_WITH_NAMED_PIPE
    explicit SessionStream(PipeStream&& pipe) : stream_(std::in_place_type<PipeStream>, std::move(pipe)) {}
#endif

    bool is_tls() const {
#ifdef CTI_WITH_TLS
        return std::holds_alternative<TlsStream>(stream_);
#else
        return false;
#endif
    }
    // The same-user channel of the native messaging host: no Host header to check there.
    bool is_local_channel() const {
#if defined(CTI_WITH_UNIX_SOCKET)
        return std::holds_alternative<UnixStream>(stream_);
#elif defined(CTI_WITH_NAMED_PIPE)
        return std::holds_alternative<PipeStream>(stream_);
#else
        return false;
#endif
    }
    executor_type get_executor() {
        return std::visit(
            [](auto& stream) { return beast::get_lowest_layer(stream).get_executor(); }, stream_);
    }
    // The timeouts live on the stream at the bottom (under TLS or not).
    template <class Duration>
    void expires_after(Duration duration) {
        std::visit([&](auto& stream) { beast::get_lowest_layer(stream).expires_after(duration); },
                   stream_);
    }
    void expires_never() {
        std::visit([](auto& stream) { beast::get_lowest_layer(stream).expires_never(); }, stream_);
    }

    // TCP_NODELAY; a Unix socket has no Nagle's algorithm to turn off.
    void set_no_delay(beast::error_code& ec);
    // SO_SNDBUF, on either kind of socket.
    void set_send_buffer_size(int bytes, beast::error_code& ec);
    // Half-closes the connection after the last response (the peer reads it, then EOF).
    void shutdown_send(beast::error_code& ec);
    // Closes the socket at once (a timeout, a peer that never finishes closing).
    void close(beast::error_code& ec);

    template <class MutableBuffers, class Token>
    auto async_read_some(const MutableBuffers& buffers, Token&& token) {
        return net::async_initiate<Token, void(beast::error_code, std::size_t)>(
            [this](auto handler, const MutableBuffers& into) {
                std::visit([&](auto& stream) { stream.async_read_some(into, std::move(handler)); }, stream_);
            },
            token, buffers);
    }

    // While held, writes are kept (up to max_held_bytes) instead of sent; see the top of the file.
    void hold_writes(bool hold) { holding_ = hold; }

    template <class ConstBuffers, class Token>
    auto async_write_some(const ConstBuffers& buffers, Token&& token) {
        return net::async_initiate<Token, void(beast::error_code, std::size_t)>(
            [this](auto handler, const ConstBuffers& from) {
                const auto size = net::buffer_size(from);
                if (holding_ && held_.size() + size <= max_held_bytes) {
                    keep(from, size);
                    // Completes like any write: through the handler's executor, never inline.
                    auto executor = net::get_associated_executor(handler, get_executor());
                    return net::post(executor,
                                     beast::bind_front_handler(std::move(handler), beast::error_code{}, size));
                }
                if (!held_.empty()) return write_after_held(from, size, std::move(handler));
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
        stream.close(ignored);
    }

private:
    static constexpr std::size_t max_held_bytes = 64 * 1024;

    template <class ConstBuffers>
    void keep(const ConstBuffers& from, std::size_t size) {
        const auto kept = held_.size();
        held_.resize(kept + size);
        net::buffer_copy(net::buffer(held_.data() + kept, size), from);
    }

    // A write's completion without its type, so that the write of the kept bytes (flush) is
    // compiled once, not once for every Beast operation and buffer type that writes.
    struct WriteCompletion {
        virtual ~WriteCompletion() = default;
        virtual void complete(beast::error_code ec, std::size_t bytes) = 0;
    };
    template <class Handler>
    struct TypedWriteCompletion final : WriteCompletion {
        explicit TypedWriteCompletion(Handler h) : handler(std::move(h)) {}
        // Runs on the stream's executor, which is the one Beast's handlers are bound to.
        void complete(beast::error_code ec, std::size_t bytes) override { handler(ec, bytes); }
        Handler handler;
    };

    // The kept bytes and then `from`, written completely; the handler is told of `from` only.
    template <class ConstBuffers, class Handler>
    void write_after_held(const ConstBuffers& from, std::size_t size, Handler handler) {
        keep(from, size);  // one copy of a frame, so that one buffer goes out in one write
        flush(std::make_unique<TypedWriteCompletion<Handler>>(std::move(handler)), size);
    }

    void flush(std::unique_ptr<WriteCompletion> completion, std::size_t reported);  // session_stream.cpp

    Alternatives stream_;
    bool holding_ = false;
    std::string held_;  // bytes of held writes, not sent yet (capacity kept between bursts)
};

}  // namespace cti
