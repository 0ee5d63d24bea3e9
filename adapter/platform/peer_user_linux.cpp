// Linux: a TCP socket's owner is the uid that created it, which the kernel reports through
// sock_diag and in /proc/net/tcp{,6}. The peer's socket is the one whose local end is our
// connection's remote end and whose remote end is our local end.
#include "platform/peer_uid_linux.hpp"

#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

namespace cti::platform {
namespace {

std::size_t address_size(const TcpEndpoint& endpoint) { return endpoint.ipv6 ? 16 : 4; }

bool same_endpoint(const TcpEndpoint& a, const TcpEndpoint& b) {
    return a.ipv6 == b.ipv6 && a.port == b.port &&
           std::memcmp(a.address.data(), b.address.data(), address_size(a)) == 0;
}

// ::ffff:a.b.c.d, the IPv6 form of an IPv4 address.
TcpEndpoint v4_mapped(const TcpEndpoint& endpoint) {
    TcpEndpoint mapped{true, {}, endpoint.port};
    mapped.address[10] = mapped.address[11] = 0xff;
    std::memcpy(mapped.address.data() + 12, endpoint.address.data(), 4);
    return mapped;
}

// A netlink socket closed on every path.
class NetlinkSocket {
public:
    NetlinkSocket() : fd_(::socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG)) {}
    ~NetlinkSocket() {
        if (fd_ >= 0) ::close(fd_);
    }
    NetlinkSocket(const NetlinkSocket&) = delete;
    NetlinkSocket& operator=(const NetlinkSocket&) = delete;
    int fd() const { return fd_; }

private:
    int fd_;
};

struct SockDiagRequest {
    nlmsghdr header;
    inet_diag_req_v2 body;
};

SockDiagRequest request_for(const TcpEndpoint& local, const TcpEndpoint& peer) {
    SockDiagRequest request{};
    request.header.nlmsg_len = sizeof request;
    request.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    request.header.nlmsg_flags = NLM_F_REQUEST;  // not NLM_F_DUMP: the one socket of this 4-tuple
    request.header.nlmsg_seq = 1;
    request.body.sdiag_family = peer.ipv6 ? AF_INET6 : AF_INET;
    request.body.sdiag_protocol = IPPROTO_TCP;
    request.body.idiag_states = ~0U;  // any state: a peer may have sent its FIN already
    // The kernel looks the socket up as an arriving packet would: src is the socket's own end.
    request.body.id.idiag_sport = htons(peer.port);
    request.body.id.idiag_dport = htons(local.port);
    std::memcpy(request.body.id.idiag_src, peer.address.data(), address_size(peer));
    std::memcpy(request.body.id.idiag_dst, local.address.data(), address_size(local));
    request.body.id.idiag_cookie[0] = INET_DIAG_NOCOOKIE;
    request.body.id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
    return request;
}

// "0100007F:1F90" as /proc/net/tcp writes an end: each 32-bit word of the address as the
// kernel holds it (network order) printed as a host-order number, then the port.
std::optional<TcpEndpoint> parse_proc_endpoint(const std::string& text, bool ipv6) {
    const auto colon = text.find(':');
    const std::size_t words = ipv6 ? 4 : 1;
    if (colon != words * 8 || text.size() != colon + 5) return std::nullopt;
    TcpEndpoint endpoint;
    endpoint.ipv6 = ipv6;
    try {
        for (std::size_t i = 0; i < words; ++i) {
            const auto word = static_cast<std::uint32_t>(std::stoul(text.substr(i * 8, 8), nullptr, 16));
            std::memcpy(endpoint.address.data() + i * 4, &word, sizeof word);
        }
        endpoint.port = static_cast<std::uint16_t>(std::stoul(text.substr(colon + 1), nullptr, 16));
    } catch (const std::exception&) {
        return std::nullopt;
    }
    return endpoint;
}

std::optional<std::uint32_t> uid_in_table(const char* table, const TcpEndpoint& local, const TcpEndpoint& peer) {
    std::ifstream in(table);
    std::string line;
    std::getline(in, line);  // the header
    while (std::getline(in, line)) {
        // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
        std::istringstream fields(line);
        std::string slot, own_end, other_end, state, queues, timer, retransmits, timeout, inode;
        std::uint32_t uid = 0;
        if (!(fields >> slot >> own_end >> other_end >> state >> queues >> timer >> retransmits >> uid >> timeout >>
              inode))
            continue;
        const auto own = parse_proc_endpoint(own_end, peer.ipv6);
        const auto other = parse_proc_endpoint(other_end, peer.ipv6);
        if (!own || !other || !same_endpoint(*own, peer) || !same_endpoint(*other, local)) continue;
        if (inode == "0") return std::nullopt;  // closed by its process, as with sock_diag
        return uid;
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::uint32_t> peer_uid_from_sock_diag(const TcpEndpoint& local, const TcpEndpoint& peer) {
    const NetlinkSocket netlink;
    if (netlink.fd() < 0) return std::nullopt;
    // The kernel answers while handling the request; the timeout only guards against a kernel
    // that never does, so that the listener is not held up.
    const timeval timeout{0, 200'000};
    ::setsockopt(netlink.fd(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    sockaddr_nl kernel{};
    kernel.nl_family = AF_NETLINK;
    const auto request = request_for(local, peer);
    if (::sendto(netlink.fd(), &request, sizeof request, 0, reinterpret_cast<const sockaddr*>(&kernel),
                 sizeof kernel) != static_cast<ssize_t>(sizeof request))
        return std::nullopt;
    alignas(nlmsghdr) unsigned char answer[8192];
    const auto received = ::recv(netlink.fd(), answer, sizeof answer, 0);
    constexpr auto needed = NLMSG_ALIGN(sizeof(nlmsghdr)) + sizeof(inet_diag_msg);
    if (received < static_cast<ssize_t>(needed)) return std::nullopt;  // also NLMSG_ERROR: no such socket
    const auto* header = reinterpret_cast<const nlmsghdr*>(answer);
    if (header->nlmsg_type != SOCK_DIAG_BY_FAMILY || header->nlmsg_len < needed) return std::nullopt;
    const auto* message = reinterpret_cast<const inet_diag_msg*>(answer + NLMSG_ALIGN(sizeof(nlmsghdr)));
    if (ntohs(message->id.idiag_sport) != peer.port || ntohs(message->id.idiag_dport) != local.port)
        return std::nullopt;
    // No inode: the peer has closed its socket (TIME_WAIT, or an orphan still sending), and
    // the kernel reports uid 0 for what no process owns any more.
    if (message->idiag_inode == 0) return std::nullopt;
    return message->idiag_uid;
}

std::optional<std::uint32_t> peer_uid_from_proc_net(const TcpEndpoint& local, const TcpEndpoint& peer) {
    if (peer.ipv6) return uid_in_table("/proc/net/tcp6", local, peer);
    if (auto uid = uid_in_table("/proc/net/tcp", local, peer)) return uid;
    // A client's IPv6 socket reaching 127.0.0.1 is listed in tcp6, with ::ffff:127.0.0.1.
    return uid_in_table("/proc/net/tcp6", v4_mapped(local), v4_mapped(peer));
}

std::optional<PeerUser> find_peer_user(const TcpEndpoint& local, const TcpEndpoint& peer) {
    auto uid = peer_uid_from_sock_diag(local, peer);
    if (!uid) uid = peer_uid_from_proc_net(local, peer);
    if (!uid) return std::nullopt;
    // The effective uid: the one that made this process's own sockets, and its files.
    const auto own = ::geteuid();
    return PeerUser{*uid == own, "uid " + std::to_string(*uid), "uid " + std::to_string(own)};
}

}  // namespace cti::platform
