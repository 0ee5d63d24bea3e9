// One end of the native messaging named pipe (Windows; docs/BROWSER-EXTENSION.md), as a stream
// that Beast's HTTP and WebSocket code can use like beast::basic_stream:
//  - timeouts: expires_after/expires_never; an operation still pending when the time runs out
//    completes with beast::error::timeout;
//  - the other end leaving (a broken pipe) reads as net::error::eof, as a closed socket does;
//  - the WebSocket teardown hooks: a pipe has no half-close, so teardown closes the handle;
//    what was written before stays readable for the other end.
// The handle must be opened for overlapped I/O (FILE_FLAG_OVERLAPPED).
#pragma once

#include <chrono>
#include <memory>

#include <boost/asio/windows/stream_handle.hpp>

#include "net/beast.hpp"

namespace cti {

class PipeStream {
public:
    using executor_type = net::any_io_executor;

    explicit PipeStream(net::windows::stream_handle handle);
    explicit PipeStream(net::io_context& io);  // not open yet: handle().assign() opens it

    executor_type get_executor() { return state_->handle.get_executor(); }
    net::windows::stream_handle& handle() { return state_->handle; }

    template <class Duration>
    void expires_after(Duration duration) {
        arm(std::chrono::duration_cast<std::chrono::steady_clock::duration>(duration));
    }
    void expires_never();
    void close(beast::error_code& ec);

    template <class MutableBuffers, class Token>
    auto async_read_some(const MutableBuffers& buffers, Token&& token) {
        return net::async_initiate<Token, void(beast::error_code, std::size_t)>(
            [this](auto handler, const MutableBuffers& into) {
                auto executor = net::get_associated_executor(handler, get_executor());
                state_->handle.async_read_some(
                    into, net::bind_executor(executor, Completion<decltype(handler)>{
                                                           state_, std::move(handler), true}));
            },
            token, buffers);
    }

    template <class ConstBuffers, class Token>
    auto async_write_some(const ConstBuffers& buffers, Token&& token) {
        return net::async_initiate<Token, void(beast::error_code, std::size_t)>(
            [this](auto handler, const ConstBuffers& from) {
                auto executor = net::get_associated_executor(handler, get_executor());
                state_->handle.async_write_some(
                    from, net::bind_executor(executor, Completion<decltype(handler)>{
                                                           state_, std::move(handler), false}));
            },
            token, buffers);
    }

    friend void teardown(beast::role_type, PipeStream& stream, beast::error_code& ec) {
        stream.close(ec);
    }
    template <class Handler>
    friend void async_teardown(beast::role_type, PipeStream& stream, Handler&& handler) {
        beast::error_code ec;
        stream.close(ec);
        auto executor = net::get_associated_executor(handler, stream.get_executor());
        net::post(executor, beast::bind_front_handler(std::forward<Handler>(handler), ec));
    }
    // What a WebSocket timeout does: close at once.
    friend void beast_close_socket(PipeStream& stream) {
        beast::error_code ignored;
        stream.close(ignored);
    }

private:
    // Shared with the deadline's timer, which may fire after the stream has been moved.
    struct State {
        explicit State(net::windows::stream_handle h);
        net::windows::stream_handle handle;
        net::steady_timer deadline;
        bool expired = false;
    };

    template <class Handler>
    struct Completion {
        std::shared_ptr<State> state;
        Handler handler;
        bool reading;
        void operator()(beast::error_code ec, std::size_t bytes) {
            handler(translate(*state, ec, reading), bytes);
        }
    };

    // The pipe's own error codes in the words Beast understands (timeout, eof).
    static beast::error_code translate(const State& state, beast::error_code ec, bool reading);
    void arm(std::chrono::steady_clock::duration duration);

    std::shared_ptr<State> state_;
};

}  // namespace cti
