// What every session of the listener shares: the core, the access policy, the limits and the
// pairings.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

#include "config/config.hpp"
#include "core/adapter_core.hpp"
#include "net/access_policy.hpp"
#include "pairing/pairing_service.hpp"

namespace cti {

struct ServerContext {
    boost::asio::io_context& io;
    AdapterCore& core;
    AccessPolicy policy;
    Limits limits;
    PairingService& pairing;
    std::uint16_t port = 0;
    std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
    std::atomic<std::uint64_t> next_client_number{1};
};

}  // namespace cti
