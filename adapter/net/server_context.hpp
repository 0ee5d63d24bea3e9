// What every session of the listener shares: the core, the access policy and the limits.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>

#include "config/config.hpp"
#include "core/adapter_core.hpp"
#include "net/access_policy.hpp"

namespace boost::asio::ssl {
class context;
}

namespace cti {

struct ServerContext {
    boost::asio::io_context& io;
    AdapterCore& core;
    AccessPolicy policy;
    Limits limits;
    std::shared_ptr<boost::asio::ssl::context> tls;  // set when the port also serves wss:// and https://
    std::uint16_t port = 0;
    std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
    std::atomic<std::uint64_t> next_client_number{1};
};

}  // namespace cti
