// Who is at the other end of a loopback TCP connection (issue 14, section 1), over real sockets
// of this process: both of Linux's ways find our own uid, and neither names an owner for a
// connection that does not exist or whose peer has closed.
#include <catch2/catch.hpp>

#include <array>
#include <string>
#include <unistd.h>

#include <boost/asio.hpp>

#include "platform/peer_uid_linux.hpp"
#include "platform/peer_user.hpp"

namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using cti::platform::TcpEndpoint;

TcpEndpoint endpoint_of(const tcp::endpoint& endpoint) {
    TcpEndpoint result;
    result.ipv6 = endpoint.address().is_v6();
    result.port = endpoint.port();
    if (result.ipv6) {
        const auto bytes = endpoint.address().to_v6().to_bytes();
        std::copy(bytes.begin(), bytes.end(), result.address.begin());
    } else {
        const auto bytes = endpoint.address().to_v4().to_bytes();
        std::copy(bytes.begin(), bytes.end(), result.address.begin());
    }
    return result;
}

// A client socket connected to an accepted one, both in this process, on `loopback`.
struct LoopbackPair {
    net::io_context io;
    tcp::socket client{io};
    tcp::socket accepted{io};

    explicit LoopbackPair(const net::ip::address& loopback) {
        tcp::acceptor acceptor(io, tcp::endpoint(loopback, 0));
        client.connect(acceptor.local_endpoint());
        accepted = acceptor.accept();
    }
    // The adapter's view: its own end, and the client's end it asks about.
    TcpEndpoint local() const { return endpoint_of(accepted.local_endpoint()); }
    TcpEndpoint peer() const { return endpoint_of(accepted.remote_endpoint()); }
};

bool ipv6_loopback_works() {
    net::io_context io;
    tcp::acceptor acceptor(io);
    boost::system::error_code ec;
    acceptor.open(tcp::v6(), ec);
    if (!ec) acceptor.bind({net::ip::address_v6::loopback(), 0}, ec);
    return !ec;
}

}  // namespace

TEST_CASE("peer user: a loopback connection of this process is told as ours, both ways", "[peer_user][security]") {
    const LoopbackPair pair(net::ip::address_v4::loopback());
    const auto own = ::geteuid();
    CHECK(cti::platform::peer_uid_from_sock_diag(pair.local(), pair.peer()) == own);
    CHECK(cti::platform::peer_uid_from_proc_net(pair.local(), pair.peer()) == own);
    const auto user = cti::platform::find_peer_user(pair.local(), pair.peer());
    REQUIRE(user);
    CHECK(user->same_as_ours);
    CHECK(user->peer == "uid " + std::to_string(own));
    CHECK(user->ours == user->peer);
    // The client's view of the same connection finds the accepted socket, also ours.
    CHECK(cti::platform::peer_uid_from_sock_diag(pair.peer(), pair.local()) == own);
    CHECK(cti::platform::peer_uid_from_proc_net(pair.peer(), pair.local()) == own);
}

TEST_CASE("peer user: over IPv6 loopback too", "[peer_user][security]") {
    if (!ipv6_loopback_works()) {
        SUCCEED("no ::1 on this machine: nothing to look up");
        return;
    }
    const LoopbackPair pair(net::ip::address_v6::loopback());
    CHECK(cti::platform::peer_uid_from_sock_diag(pair.local(), pair.peer()) == ::geteuid());
    CHECK(cti::platform::peer_uid_from_proc_net(pair.local(), pair.peer()) == ::geteuid());
}

TEST_CASE("peer user: no owner for a connection that does not exist", "[peer_user][security]") {
    const LoopbackPair pair(net::ip::address_v4::loopback());
    auto stranger = pair.peer();
    stranger.port = static_cast<std::uint16_t>(stranger.port == 1 ? 2 : stranger.port - 1);
    CHECK_FALSE(cti::platform::peer_uid_from_sock_diag(pair.local(), stranger));
    CHECK_FALSE(cti::platform::peer_uid_from_proc_net(pair.local(), stranger));
    CHECK_FALSE(cti::platform::find_peer_user(pair.local(), stranger));
}

TEST_CASE("peer user: no owner once the peer has closed its socket", "[peer_user][security]") {
    // The kernel says uid 0 for a socket no process holds (TIME_WAIT, an orphan): a root
    // adapter must not take that for its own user.
    LoopbackPair pair(net::ip::address_v4::loopback());
    const auto local = pair.local();
    const auto peer = pair.peer();
    pair.client.close();
    CHECK_FALSE(cti::platform::peer_uid_from_sock_diag(local, peer));
    CHECK_FALSE(cti::platform::peer_uid_from_proc_net(local, peer));
}
