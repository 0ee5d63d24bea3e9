// The adapter's second door: a Unix domain socket (platform::native_socket_file()) for the
// native messaging host, which relays a browser extension's channel (docs/BROWSER-EXTENSION.md).
//
// Only this user may come in. The folder is 0700 and the socket 0600, and each accepted
// connection's peer uid (SO_PEERCRED) must be the adapter's own, checked before a byte is read:
// file modes can be loosened by mistake (or by root), the kernel's word on the peer cannot.
// Accepted connections are HttpSessions like the TCP port's, with the same Origin allow-list,
// pairing, limits and slots; only the Host check (DNS rebinding) has nothing to guard here.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "logging/log_throttle.hpp"
#include "net/beast.hpp"
#include "net/server_context.hpp"

namespace cti {

class UnixListener : public std::enable_shared_from_this<UnixListener> {
public:
    UnixListener(net::io_context& io, ServerContext& context);

    // Listens on `path`, replacing a stale socket file (one no adapter answers on). Returns the
    // problem when it cannot (another adapter listens there, the folder is not ours...); the
    // adapter then runs without the native messaging door, which is logged, not fatal.
    std::optional<std::string> bind(const std::filesystem::path& path);
    const std::filesystem::path& path() const { return path_; }

    void run();
    // Stops accepting and removes the socket file, if it is still the one this listener made.
    void stop();

private:
    void do_accept();
    void on_accept(beast::error_code ec, net::local::stream_protocol::socket socket);
    bool peer_is_own_user(net::local::stream_protocol::socket& socket);
    void remove_own_socket_file();

    net::io_context& io_;
    ServerContext& context_;
    net::local::stream_protocol::acceptor acceptor_;
    std::filesystem::path path_;
    // The socket file this listener made (device, inode): a later adapter may have replaced it.
    std::optional<std::pair<std::uint64_t, std::uint64_t>> file_identity_;
    LogThrottle refusals_logged_{std::chrono::seconds(10)};  // other users' connections
};

}  // namespace cti
