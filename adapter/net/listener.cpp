#include "net/listener.hpp"

#include <algorithm>

#include "logging/logging.hpp"
#include "net/http_session.hpp"
#include "net/port_report.hpp"
#include "platform/peer_user.hpp"
#ifdef CTI_WITH_TLS
#include "net/tls_detector.hpp"
#endif

namespace cti {
namespace {

BindAttempt describe_bind_error(std::uint16_t port, const beast::error_code& ec) {
    BindAttempt attempt{port, {}, {}};
    if (ec == net::error::address_in_use) {
        attempt.holder = platform::find_port_holder(port);
        attempt.problem = "in use by another program";
        if (attempt.holder) attempt.problem += ": " + describe_port_holder(*attempt.holder);
    } else if (ec == net::error::access_denied) {
        attempt.problem = "permission denied (a privileged port, or a port range reserved by the system)";
    } else {
        attempt.problem = ec.message();
    }
    return attempt;
}

platform::TcpEndpoint to_platform(const tcp::endpoint& endpoint) {
    platform::TcpEndpoint result;
    result.port = endpoint.port();
    const auto address = endpoint.address();
    result.ipv6 = address.is_v6();
    if (result.ipv6) {
        const auto bytes = address.to_v6().to_bytes();
        std::copy(bytes.begin(), bytes.end(), result.address.begin());
    } else {
        const auto bytes = address.to_v4().to_bytes();
        std::copy(bytes.begin(), bytes.end(), result.address.begin());
    }
    return result;
}

// With TLS the first bytes decide between TLS and plain HTTP; without, it is plain HTTP.
// Either takes a place in the pre-authentication pool as it starts; a slot of max_connections
// only once the request has arrived.
void start_session(tcp::socket&& socket, ServerContext& context) {
#ifdef CTI_WITH_TLS
    if (context.tls) return std::make_shared<TlsDetector>(std::move(socket), context)->run();
#endif
    std::make_shared<HttpSession>(SessionStream(std::move(socket)), context)->run();
}

}  // namespace

Listener::Listener(net::io_context& io, ServerContext& context)
    : io_(io), context_(context), acceptor_(net::make_strand(io)) {}

std::vector<BindAttempt> Listener::bind(const std::vector<std::uint16_t>& ports) {
    std::vector<BindAttempt> attempts;
    for (auto port : ports) {
        const auto ec = try_bind(port);
        if (!ec) {
            attempts.push_back({port, {}, {}});
            return attempts;
        }
        attempts.push_back(describe_bind_error(port, ec));
        spdlog::warn("port {} on 127.0.0.1: {}", port, attempts.back().problem);
    }
    return attempts;
}

beast::error_code Listener::try_bind(std::uint16_t port) {
    beast::error_code ec;
    if (acceptor_.is_open()) acceptor_.close(ec);
    // Loopback only, never 0.0.0.0: nothing on the network may reach the adapter.
    const tcp::endpoint endpoint{net::ip::address_v4::loopback(), port};
    acceptor_.open(endpoint.protocol(), ec);
    if (ec) return ec;
#ifdef _WIN32
    // SO_REUSEADDR on Windows would let another program bind the same port and take our
    // clients; SO_EXCLUSIVEADDRUSE forbids exactly that.
    BOOL exclusive = TRUE;
    ::setsockopt(acceptor_.native_handle(), SOL_SOCKET, SO_EXCLUSIVEADDRUSE,
                 reinterpret_cast<const char*>(&exclusive), sizeof exclusive);
#else
    // On POSIX this only allows a quick restart over connections in TIME_WAIT; it never lets
    // two listeners share the port.
    acceptor_.set_option(net::socket_base::reuse_address(true), ec);
#endif
    acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) {
        beast::error_code ignored;
        acceptor_.close(ignored);
        return ec;
    }
    bound_port_ = acceptor_.local_endpoint().port();
    return {};
}

void Listener::run() {
    net::dispatch(acceptor_.get_executor(),
                  beast::bind_front_handler(&Listener::do_accept, shared_from_this()));
}

void Listener::stop() {
    net::post(acceptor_.get_executor(), [self = shared_from_this()] {
        beast::error_code ignored;
        self->acceptor_.close(ignored);
    });
}

void Listener::do_accept() {
    // Each connection gets a strand of its own.
    acceptor_.async_accept(net::make_strand(io_),
                           beast::bind_front_handler(&Listener::on_accept, shared_from_this()));
}

void Listener::on_accept(beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted) return;  // stopped
    if (ec) {
        spdlog::warn("accept failed: {}", ec.message());
    } else if (!context_.same_user_only || peer_is_own_user(socket)) {
        start_session(std::move(socket), context_);
    }
    if (acceptor_.is_open()) do_accept();
}

// Before any byte is read, and before it takes a place in the pre-authentication pool: another
// user's connection is closed unanswered, as the native messaging socket closes one (UnixListener).
bool Listener::peer_is_own_user(tcp::socket& socket) {
    beast::error_code ec;
    const auto local = socket.local_endpoint(ec);
    const auto peer = ec ? tcp::endpoint{} : socket.remote_endpoint(ec);
    const auto user = ec ? std::nullopt : platform::find_peer_user(to_platform(local), to_platform(peer));
    if (user && user->same_as_ours) return true;
    if (const auto left_out = refusals_logged_.admit()) {
        const auto who_may =
            user ? "only " + user->ours + ", this adapter's user," : std::string("only this adapter's user");
        spdlog::warn("refused a connection to port {} from {} (same_user_only: {} may connect){}", bound_port_,
                     user ? user->peer : std::string("a process whose user cannot be told"), who_may,
                     *left_out ? " (" + std::to_string(*left_out) + " more refused since the last such line)"
                               : std::string());
    }
    socket.close(ec);
    return false;
}

}  // namespace cti
