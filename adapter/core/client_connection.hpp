// What the core needs of a connected page: somewhere to put frames, and a way to close it.
// The WebSocket session implements it; the core never sees a socket.
#pragma once

#include <cstdint>
#include <string>

#include "protocol/messages.hpp"

namespace cti {

// WebSocket close codes the adapter uses (docs/PROTOCOL.md, section 5).
namespace close_code {
inline constexpr std::uint16_t normal = 1000;
inline constexpr std::uint16_t going_away = 1001;
inline constexpr std::uint16_t too_big = 1009;
inline constexpr std::uint16_t try_again_later = 1013;   // evicted from the pre-authentication pool
inline constexpr std::uint16_t not_authenticated = 4001;  // no, a bad or another origin's token
inline constexpr std::uint16_t revoked = 4003;            // the session's pairing was revoked
inline constexpr std::uint16_t too_slow = 4008;
inline constexpr std::uint16_t rate_exceeded = 4029;  // commands_per_minute or dials_per_minute
}  // namespace close_code

class ClientConnection {
public:
    virtual ~ClientConnection() = default;
    // Queue a frame for sending. Thread-safe; never blocks. A client whose queue is full is
    // closed with close_code::too_slow instead of growing memory or slowing anyone else.
    virtual void deliver(protocol::Frame frame) = 0;
    // Close the connection after the frames already queued. Thread-safe.
    virtual void close(std::uint16_t code, std::string reason) = 0;
    // A short description for logs, e.g. "client 3 (https://crm.example.com)".
    virtual const std::string& label() const = 0;
    // True for the adapter's own origin (its pages, the CLI): only these may administer pairings.
    virtual bool own_origin() const = 0;
    // What its command rates are counted under (CommandRateLimiter): "pairing <id>" for a page
    // that authenticated, else "origin <origin>". Set before the client is attached.
    virtual const std::string& rate_key() const = 0;
};

}  // namespace cti
