// Linux: the two ways find_peer_user() learns the uid that owns a TCP socket, apart so that
// tests can check each one. Both find the peer's socket by the connection's exact endpoints:
// its local end is our peer, its remote end is our local end.
#pragma once

#include <cstdint>
#include <optional>

#include "platform/peer_user.hpp"

namespace cti::platform {

// The sock_diag netlink interface (NETLINK_SOCK_DIAG, inet_diag_req_v2): one request for the
// exact 4-tuple, answered by the kernel without reading a table. nullopt when it does not know
// the socket or the interface is missing (a kernel without inet_diag).
std::optional<std::uint32_t> peer_uid_from_sock_diag(const TcpEndpoint& local, const TcpEndpoint& peer);

// /proc/net/tcp, or tcp6 for IPv6: the line whose local end is the peer and whose remote end is
// ours. Slower (the whole table is read), for systems where sock_diag answers nothing.
std::optional<std::uint32_t> peer_uid_from_proc_net(const TcpEndpoint& local, const TcpEndpoint& peer);

}  // namespace cti::platform
