// The WebSocket sessions that are not attached to the core yet: pages of another origin that
// have had the short hello and may still authenticate or pair (docs/PROTOCOL.md, section 1.3).
// The core closes the pages it knows when the adapter stops; these it does not know, so the
// service closes them from here, with the same 1001, before the core drains.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/client_connection.hpp"

namespace cti {

class UnauthenticatedSessions {
public:
    void add(const ClientConnection* key, std::weak_ptr<ClientConnection> session);
    void remove(const ClientConnection* key);
    // Closes every session still listed (ClientConnection::close is thread-safe).
    void close_all(std::uint16_t code, const std::string& reason);

private:
    std::mutex mutex_;  // sessions add and remove themselves from their own strands
    std::unordered_map<const ClientConnection*, std::weak_ptr<ClientConnection>> sessions_;
};

}  // namespace cti
