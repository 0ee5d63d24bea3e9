#include "net/pipe_stream.hpp"

#include <windows.h>

namespace cti {

PipeStream::State::State(net::windows::stream_handle h)
    : handle(std::move(h)), deadline(handle.get_executor()) {}

PipeStream::PipeStream(net::windows::stream_handle handle)
    : state_(std::make_shared<State>(std::move(handle))) {}

PipeStream::PipeStream(net::io_context& io)
    : state_(std::make_shared<State>(net::windows::stream_handle(io))) {}

void PipeStream::arm(std::chrono::steady_clock::duration duration) {
    state_->expired = false;
    state_->deadline.expires_after(duration);
    state_->deadline.async_wait([weak = std::weak_ptr<State>(state_)](beast::error_code ec) {
        if (ec) return;  // re-armed or disarmed
        auto state = weak.lock();
        if (!state) return;
        state->expired = true;
        beast::error_code ignored;
        state->handle.cancel(ignored);
    });
}

void PipeStream::expires_never() {
    state_->expired = false;
    state_->deadline.cancel();
}

void PipeStream::close(beast::error_code& ec) {
    state_->deadline.cancel();
    if (state_->handle.is_open()) state_->handle.close(ec);
}

beast::error_code PipeStream::translate(const State& state, beast::error_code ec, bool reading) {
    if (!ec) return ec;
    if (ec == net::error::operation_aborted && state.expired) return beast::error::timeout;
    if (reading && ec.category() == boost::system::system_category()) {
        switch (ec.value()) {
            case ERROR_BROKEN_PIPE:         // the other end closed its handle
            case ERROR_PIPE_NOT_CONNECTED:  // ... or disconnected
            case ERROR_HANDLE_EOF:
                return net::error::eof;
            default:
                break;
        }
    }
    return ec;
}

}  // namespace cti
