// Runs an io_context's handlers until a condition holds or a deadline passes, so that a test
// waits for a timer or another thread's post without sleeping and without hanging.
#pragma once

#include <chrono>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

namespace cti::test {

// True once `done()` holds; false when `limit` passed first.
template <typename Done>
bool run_until(boost::asio::io_context& io, Done done, std::chrono::milliseconds limit = std::chrono::seconds(10)) {
    const auto work = boost::asio::make_work_guard(io);
    const auto deadline = std::chrono::steady_clock::now() + limit;
    io.restart();
    while (!done()) {
        const auto now = std::chrono::steady_clock::now();
        if (now >= deadline) return false;
        io.run_one_for(deadline - now);
    }
    return true;
}

// Runs every handler that is ready now, without waiting for any.
inline std::size_t run_ready(boost::asio::io_context& io) {
    io.restart();
    return io.poll();
}

}  // namespace cti::test
