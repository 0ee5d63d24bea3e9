// Short names for the networking libraries.
#pragma once

#include <utility>  // before Asio: Boost 1.74's awaitable.hpp uses std::exchange (g++ 12)

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

namespace cti::bench {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace websocket = boost::beast::websocket;
using tcp = boost::asio::ip::tcp;
}  // namespace cti::bench
