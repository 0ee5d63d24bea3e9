#include "net/session_stream.hpp"

#include <type_traits>

namespace cti {
namespace {

// The socket at the bottom of whichever stream this is: TCP (plain or under TLS) or Unix. A
// named pipe has no socket options and no half-close: nothing is done for it.
template <class Alternatives, class Action>
void on_socket(Alternatives& stream, Action&& action) {
    std::visit(
        [&](auto& alternative) {
#ifdef CTI_WITH_NAMED_PIPE
            if constexpr (std::is_same_v<std::decay_t<decltype(alternative)>, PipeStream>) return;
            else
#endif
            action(beast::get_lowest_layer(alternative).socket());
        },
        stream);
}

}  // namespace

void SessionStream::set_no_delay(beast::error_code& ec) {
    on_socket(stream_, [&](auto& socket) {
        if constexpr (std::is_same_v<std::decay_t<decltype(socket)>, tcp::socket>)
            socket.set_option(tcp::no_delay(true), ec);
    });
}

void SessionStream::set_send_buffer_size(int bytes, beast::error_code& ec) {
    on_socket(stream_, [&](auto& socket) {
        socket.set_option(net::socket_base::send_buffer_size(bytes), ec);
    });
}

void SessionStream::shutdown_send(beast::error_code& ec) {
    on_socket(stream_, [&](auto& socket) { socket.shutdown(net::socket_base::shutdown_send, ec); });
}

void SessionStream::close(beast::error_code& ec) {
#ifdef CTI_WITH_NAMED_PIPE
    if (auto* pipe = std::get_if<PipeStream>(&stream_)) return pipe->close(ec);
#endif
    on_socket(stream_, [&](auto& socket) { socket.close(ec); });
}

// Everything kept goes out in one write; the Beast operation that asked for the last part is
// told of its own bytes (`reported`) once all of it is written.
void SessionStream::flush(std::unique_ptr<WriteCompletion> completion, std::size_t reported) {
    auto done = [this, reported, completion = std::move(completion)](beast::error_code ec, std::size_t) {
        held_.clear();
        completion->complete(ec, ec ? 0 : reported);
    };
    std::visit([&](auto& stream) { net::async_write(stream, net::buffer(held_), std::move(done)); }, stream_);
}

}  // namespace cti
