// Windows: the TCP table names the process that owns each end of a connection
// (GetExtendedTcpTable, as `netstat -ano` does); that process's token names its user's SID
// (platform/windows_user.hpp), which is compared with this process's own.
#include "platform/peer_user.hpp"

#include <stdexcept>

// clang-format off: winsock2 must come before windows.h, and both before the IP helper headers.
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <iphlpapi.h>
// clang-format on

#include "platform/tcp_table_windows.hpp"
#include "platform/windows_user.hpp"

#include <cstring>
#include <vector>

namespace cti::platform {
namespace {

// The table keeps a port in network byte order in the low 16 bits of a DWORD.
std::uint16_t port_of(DWORD table_port) { return ::ntohs(static_cast<u_short>(table_port)); }

bool is_end(const unsigned char* address, DWORD port, const TcpEndpoint& endpoint) {
    return port_of(port) == endpoint.port &&
           std::memcmp(address, endpoint.address.data(), endpoint.ipv6 ? 16 : 4) == 0;
}

// The process whose socket's local end is `peer` and remote end is `local`; 0 when none is.
DWORD owner_of(const TcpEndpoint& local, const TcpEndpoint& peer) {
    const auto buffer = tcp_table(peer.ipv6 ? AF_INET6 : AF_INET, TCP_TABLE_OWNER_PID_CONNECTIONS);
    if (buffer.empty()) return 0;
    if (peer.ipv6) {
        const auto* table = reinterpret_cast<const MIB_TCP6TABLE_OWNER_PID*>(buffer.data());
        const auto* rows = table->table;  // declared with one element; really dwNumEntries
        for (DWORD i = 0; i < table->dwNumEntries; ++i)
            if (is_end(rows[i].ucLocalAddr, rows[i].dwLocalPort, peer) &&
                is_end(rows[i].ucRemoteAddr, rows[i].dwRemotePort, local))
                return rows[i].dwOwningPid;
        return 0;
    }
    const auto* table = reinterpret_cast<const MIB_TCPTABLE_OWNER_PID*>(buffer.data());
    const auto* rows = table->table;
    for (DWORD i = 0; i < table->dwNumEntries; ++i) {
        // The addresses are DWORDs in network byte order: their bytes are the address's.
        const auto* own = reinterpret_cast<const unsigned char*>(&rows[i].dwLocalAddr);
        const auto* other = reinterpret_cast<const unsigned char*>(&rows[i].dwRemoteAddr);
        if (is_end(own, rows[i].dwLocalPort, peer) && is_end(other, rows[i].dwRemotePort, local))
            return rows[i].dwOwningPid;
    }
    return 0;
}

}  // namespace

std::optional<PeerUser> find_peer_user(const TcpEndpoint& local, const TcpEndpoint& peer) {
    const DWORD pid = owner_of(local, peer);
    if (pid == 0) return std::nullopt;
    PeerUser result;
    try {
        result.ours = current_user_sid();
    } catch (const std::runtime_error&) {
        return std::nullopt;  // nobody can be told apart: the caller refuses
    }
    // Another user's process (or a protected one) does not let this one read its token, and is
    // then not ours.
    result.peer = process_user_sid(pid);
    if (result.peer.empty()) {
        result.peer = "pid " + std::to_string(pid) + " (whose user this adapter may not read)";
        return result;
    }
    result.same_as_ours = result.peer == result.ours;
    return result;
}

}  // namespace cti::platform
