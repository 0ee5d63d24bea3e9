#include "net/session_stream.hpp"

namespace cti {

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
