// The browser's messages on Windows. There stdin is an anonymous pipe, which cannot be read
// with overlapped I/O (so not by the io_context); a thread of its own reads it, one chunk per
// request, and hands the chunk to the io_context. One read at a time: while the relay does not
// ask again, the thread waits and the browser's writes wait in the pipe, as with the POSIX
// descriptor the relay reads elsewhere.
#pragma once

#include <functional>
#include <memory>

#include "cti/result.hpp"
#include "net/beast.hpp"

namespace cti {

class StdinReaderThread {
public:
    explicit StdinReaderThread(net::io_context& io);  // will read this process's stdin
    // Leaves the thread blocked in its read to the process's exit: stdin cannot be interrupted.
    ~StdinReaderThread();
    StdinReaderThread(const StdinReaderThread&) = delete;
    StdinReaderThread& operator=(const StdinReaderThread&) = delete;

    // Starts the thread; `unavailable` when the process has no stdin. Once, before any read.
    Result<> start();

    // Reads some bytes into `into`; the handler runs on the io_context with net::error::eof when
    // the browser closed the channel.
    template <class Handler>
    void async_read_some(net::mutable_buffer into, Handler&& handler) {
        request(into, std::function<void(beast::error_code, std::size_t)>(std::forward<Handler>(handler)));
    }
    // No more reads are handed over; a read in progress ends unreported.
    void close(beast::error_code& ec);

private:
    struct Shared;
    static void read_loop(std::shared_ptr<Shared> shared);  // the thread
    void request(net::mutable_buffer into, std::function<void(beast::error_code, std::size_t)> handler);

    std::shared_ptr<Shared> shared_;
};

}  // namespace cti
