// The TCP table Windows keeps of one address family (GetExtendedTcpTable, as `netstat -ano`
// reads it), with the owning process of each row: listeners for port_holder_windows.cpp,
// connections for peer_user_windows.cpp. Windows only.
#pragma once

// clang-format off: winsock2 must come before windows.h, and both before the IP helper headers.
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <iphlpapi.h>
// clang-format on

#include <vector>

namespace cti::platform {

// The table as Windows fills it (an MIB_TCPTABLE_OWNER_PID or MIB_TCP6TABLE_OWNER_PID), grown
// until it fits; empty when Windows refuses.
inline std::vector<unsigned char> tcp_table(ULONG family, TCP_TABLE_CLASS rows) {
    std::vector<unsigned char> buffer;
    DWORD size = 0;
    DWORD result = ERROR_INSUFFICIENT_BUFFER;
    while (result == ERROR_INSUFFICIENT_BUFFER) {
        buffer.resize(size);
        result = ::GetExtendedTcpTable(buffer.data(), &size, FALSE, family, rows, 0);
    }
    if (result != NO_ERROR) buffer.clear();
    return buffer;
}

}  // namespace cti::platform
