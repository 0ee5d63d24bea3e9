// SIPp prints nothing when it is ready to receive; the observable sign is its bound SIP port.
// A peer waits for that before anything may send to it: a datagram to a port nobody has bound
// yet is refused (ICMP), and a PBX turns that into a failure response at once.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <thread>

namespace cti::test {

// True while nobody has bound UDP `port` on 127.0.0.1.
inline bool udp_port_free(std::uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0) return false;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(port);
    const bool free = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    ::close(fd);
    return free;
}

// Returns once SIPp (or anything) has bound `port`; throws after 10 s. The kernel offers no
// notification for another process binding a port, so this checks every few milliseconds.
inline void wait_until_udp_bound(std::uint16_t port) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (udp_port_free(port)) {
        if (std::chrono::steady_clock::now() > deadline)
            throw std::runtime_error("SIPp did not bind port " + std::to_string(port));
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

}  // namespace cti::test
