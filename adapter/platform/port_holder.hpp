// Who holds a TCP port: support's first question when "the screen pop stopped working".
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace cti::platform {

struct PortHolder {
    std::int64_t pid = 0;
    std::string name;          // the process name ("zoom", "node.exe"); "" when not readable
    std::string command_line;  // "" when not readable (another user's process)
};

// The process listening on TCP `port` on 127.0.0.1 or any address; nullopt when no listener is
// found or the system does not say (e.g. another user's process without privileges).
// Linux reads /proc/net/tcp{,6} and /proc/<pid>/fd; Windows asks GetExtendedTcpTable.
std::optional<PortHolder> find_port_holder(std::uint16_t port);

}  // namespace cti::platform
