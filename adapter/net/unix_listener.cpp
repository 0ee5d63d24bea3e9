#include "net/unix_listener.hpp"

#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "logging/logging.hpp"
#include "net/http_session.hpp"
#include "net/session_stream.hpp"

namespace cti {
namespace {

namespace fs = std::filesystem;
using unix_socket = net::local::stream_protocol;

// sockaddr_un holds 108 bytes on Linux, the terminating NUL included.
constexpr std::size_t max_socket_path = 107;

// Whether an adapter answers on the socket file: a file left by a killed adapter refuses.
bool someone_listens(const fs::path& path) {
    net::io_context io;
    unix_socket::socket probe(io);
    beast::error_code ec;
    probe.connect(unix_socket::endpoint(path.string()), ec);
    return !ec;
}

// The folder must be this user's own and private: the socket inherits its protection.
std::optional<std::string> prepare_folder(const fs::path& folder) {
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec) return "cannot create " + folder.string() + ": " + ec.message();
    struct stat facts {};
    if (::lstat(folder.c_str(), &facts) != 0 || !S_ISDIR(facts.st_mode))
        return folder.string() + " is not a folder";
    if (facts.st_uid != ::geteuid())
        return folder.string() + " belongs to uid " + std::to_string(facts.st_uid) +
               ", not to this user";
    fs::permissions(folder, fs::perms::owner_all, fs::perm_options::replace, ec);
    if (ec) return "cannot make " + folder.string() + " private (0700): " + ec.message();
    return std::nullopt;
}

}  // namespace

UnixListener::UnixListener(net::io_context& io, ServerContext& context)
    : io_(io), context_(context), acceptor_(net::make_strand(io)) {}

std::optional<std::string> UnixListener::bind(const fs::path& path) {
    path_ = path;
    if (path.string().size() > max_socket_path)
        return "the path " + path.string() + " is longer than a Unix socket address allows (" +
               std::to_string(max_socket_path) + " bytes)";
    if (auto problem = prepare_folder(path.parent_path())) return problem;
    struct stat facts {};
    if (::lstat(path.c_str(), &facts) == 0) {
        if (!S_ISSOCK(facts.st_mode))
            return path.string() + " exists and is not a socket; not replacing it";
        if (someone_listens(path)) return "another cti-adapter already listens on " + path.string();
        std::error_code ignored;
        fs::remove(path, ignored);  // stale: its adapter was killed
    }
    beast::error_code ec;
    const unix_socket::endpoint endpoint(path.string());
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (ec) {
        beast::error_code ignored;
        acceptor_.close(ignored);
        return "cannot listen on " + path.string() + ": " + ec.message();
    }
    // The folder is 0700 already, so nobody could reach the socket before this.
    ::chmod(path.c_str(), S_IRUSR | S_IWUSR);
    if (::lstat(path.c_str(), &facts) == 0)
        file_identity_ = {static_cast<std::uint64_t>(facts.st_dev),
                          static_cast<std::uint64_t>(facts.st_ino)};
    acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) {
        beast::error_code ignored;
        acceptor_.close(ignored);
        remove_own_socket_file();
        return "cannot listen on " + path.string() + ": " + ec.message();
    }
    return std::nullopt;
}

void UnixListener::run() {
    net::dispatch(acceptor_.get_executor(),
                  beast::bind_front_handler(&UnixListener::do_accept, shared_from_this()));
}

void UnixListener::stop() {
    net::post(acceptor_.get_executor(), [self = shared_from_this()] {
        beast::error_code ignored;
        self->acceptor_.close(ignored);
        self->remove_own_socket_file();
    });
}

void UnixListener::do_accept() {
    // Each connection gets a strand of its own, as on the TCP port.
    acceptor_.async_accept(net::make_strand(io_),
                           beast::bind_front_handler(&UnixListener::on_accept, shared_from_this()));
}

void UnixListener::on_accept(beast::error_code ec, unix_socket::socket socket) {
    if (ec == net::error::operation_aborted) return;  // stopped
    if (ec) {
        spdlog::warn("accept on {} failed: {}", path_.string(), ec.message());
    } else if (peer_is_own_user(socket)) {
        std::make_shared<HttpSession>(SessionStream(std::move(socket)), context_)->run();
    }
    if (acceptor_.is_open()) do_accept();
}

// Before any byte is read: a connection of another user is closed unanswered.
bool UnixListener::peer_is_own_user(unix_socket::socket& socket) {
    struct ucred peer {};
    socklen_t size = sizeof peer;
    const bool known =
        ::getsockopt(socket.native_handle(), SOL_SOCKET, SO_PEERCRED, &peer, &size) == 0;
    const auto own = ::geteuid();
    if (known && peer.uid == own) return true;
    if (const auto left_out = refusals_logged_.admit()) {
        spdlog::warn(
            "refused a connection on {} from {} (only uid {}, this adapter's user, may connect){}",
            path_.string(),
            known ? "uid " + std::to_string(peer.uid) : std::string("an unknown user"), own,
            *left_out ? " (" + std::to_string(*left_out) + " more refused since the last such line)"
                      : std::string());
    }
    beast::error_code ignored;
    socket.close(ignored);
    return false;
}

void UnixListener::remove_own_socket_file() {
    if (!file_identity_) return;
    struct stat facts {};
    if (::lstat(path_.c_str(), &facts) == 0 &&
        static_cast<std::uint64_t>(facts.st_dev) == file_identity_->first &&
        static_cast<std::uint64_t>(facts.st_ino) == file_identity_->second)
        ::unlink(path_.c_str());
    file_identity_.reset();
}

}  // namespace cti
