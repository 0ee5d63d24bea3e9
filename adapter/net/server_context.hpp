// What every session of the listener shares: the core, the access policy, the limits and what
// enforces them across connections, and the pairings.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>

#include "config/config.hpp"
#include "core/adapter_core.hpp"
#include "logging/log_throttle.hpp"
#include "net/access_policy.hpp"
#include "net/connection_slots.hpp"
#include "net/handshake_gate.hpp"
#include "net/preauth_pool.hpp"
#include "net/unauthenticated_sessions.hpp"
#include "pairing/pairing_service.hpp"

namespace boost::asio::ssl {
class context;
}

namespace cti {

struct ServerContext {
    boost::asio::io_context& io;
    AdapterCore& core;
    AccessPolicy policy;
    Limits limits;
    PairingService& pairing;
    std::shared_ptr<boost::asio::ssl::context> tls;  // set when the port also serves wss:// and https://
    std::uint16_t port = 0;
    bool same_user_only = true;  // the TCP port takes only this user's processes (Listener)
    std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
    std::atomic<std::uint64_t> next_client_number{1};
    ConnectionSlots slots{limits.max_connections, limits.reserved_connections};
    PreAuthPool preauth{limits.max_unauthenticated};  // connections before their request or token
    HandshakeGate handshakes{limits.handshakes_per_second};
    UnauthenticatedSessions unauthenticated{};  // closed by the service on shutdown
    // A flood of refused connections is logged as a few lines, not one line each.
    LogThrottle refusals_logged{std::chrono::seconds(10)};
};

}  // namespace cti
