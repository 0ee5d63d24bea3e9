// Whose process is at the other end of a loopback TCP connection. On a terminal server or a
// Citrix host every user shares 127.0.0.1, so a connection to this user's port says nothing
// about who made it; the system's socket tables do. One implementation file per system.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace cti::platform {

// One end of a TCP connection, as the socket API gives it (no Asio in this header).
struct TcpEndpoint {
    bool ipv6 = false;
    std::array<std::uint8_t, 16> address{};  // network byte order; IPv4 in the first 4 bytes
    std::uint16_t port = 0;
};

struct PeerUser {
    bool same_as_ours = false;
    std::string peer;  // "uid 65534"; on Windows the user's SID, or the process when it is not readable
    std::string ours;  // "uid 1000", or this process's user's SID
};

// The user of the process that owns the socket at `peer`, the far end of this process's
// connection at `local`. nullopt when the system does not say: the peer has already closed,
// or no table lists the connection. Linux asks sock_diag, then reads /proc/net/tcp{,6};
// Windows asks GetExtendedTcpTable for the owning process and reads its token's user.
std::optional<PeerUser> find_peer_user(const TcpEndpoint& local, const TcpEndpoint& peer);

}  // namespace cti::platform
