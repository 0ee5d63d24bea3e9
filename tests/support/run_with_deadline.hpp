// Runs one asynchronous operation of a test client to completion or until its deadline, so a
// broken server fails a test instead of hanging it.
#pragma once

#include <chrono>

#include <utility>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>

namespace cti::test {

template <typename Start>
boost::beast::error_code run_with_deadline(boost::asio::io_context& io, boost::beast::tcp_stream& stream,
                                           std::chrono::milliseconds timeout, Start start) {
    boost::beast::error_code result = boost::asio::error::would_block;
    stream.expires_after(timeout);
    start([&](boost::beast::error_code ec, auto&&...) { result = ec; });
    io.restart();
    io.run();
    return result;
}

}  // namespace cti::test
