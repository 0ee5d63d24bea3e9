// A listening TCP socket on a free loopback port, for the stand-ins that play a phone system's
// side in the tapi and baresip tests (ScriptedProvider, ScriptedCtrlTcp).
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <stdexcept>

namespace cti::test {

struct LoopbackListener {
    int fd = -1;
    std::uint16_t port = 0;
};

inline LoopbackListener listen_on_loopback() {
    LoopbackListener listener{::socket(AF_INET, SOCK_STREAM, 0), 0};
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    if (listener.fd < 0 || ::bind(listener.fd, reinterpret_cast<sockaddr*>(&address), size) != 0 ||
        ::listen(listener.fd, 4) != 0 || ::getsockname(listener.fd, reinterpret_cast<sockaddr*>(&address), &size) != 0)
        throw std::runtime_error("cannot listen on loopback");
    listener.port = ntohs(address.sin_port);
    return listener;
}

}  // namespace cti::test
