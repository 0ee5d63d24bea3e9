// The adapter's second door on Windows: a named pipe (platform::native_pipe_name()) for the
// native messaging host, which relays a browser extension's channel (docs/BROWSER-EXTENSION.md).
// What the Unix domain socket is on Linux (net/unix_listener.hpp).
//
// Only this user may come in, checked three ways: the pipe's DACL grants this user alone; the
// first instance is created with FILE_FLAG_FIRST_PIPE_INSTANCE, so a process that took the name
// first (to catch this user's hosts) makes the adapter refuse the door instead of sharing it;
// and each connected client's process must run as this user (its token's SID), checked before a
// byte is read. Remote clients are rejected (PIPE_REJECT_REMOTE_CLIENTS). Accepted connections
// are HttpSessions like the TCP port's, with the same Origin allow-list, pairing, limits and
// slots; only the Host check (DNS rebinding) has nothing to guard here.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "logging/log_throttle.hpp"
#include "net/beast.hpp"
#include "net/server_context.hpp"

#include <boost/asio/windows/stream_handle.hpp>

namespace cti {

class NamedPipeListener : public std::enable_shared_from_this<NamedPipeListener> {
public:
    NamedPipeListener(net::io_context& io, ServerContext& context);

    // Creates the pipe's first instance. Returns the problem when it cannot (another program
    // has the name: another adapter of this user, or a squatter); the adapter then runs without
    // the native messaging door, which is logged, not fatal.
    std::optional<std::string> bind(const std::wstring& name);
    const std::string& name() const { return printable_name_; }

    void run();
    void stop();

private:
    // A new instance of the pipe (the first one with FILE_FLAG_FIRST_PIPE_INSTANCE), or the
    // Windows error when it cannot be made.
    std::optional<std::string> create_instance(bool first);
    void do_accept();
    void on_connected(beast::error_code ec, std::size_t);
    bool client_is_own_user(net::windows::stream_handle& pipe);

    net::io_context& io_;
    ServerContext& context_;
    net::strand<net::io_context::executor_type> strand_;
    std::wstring name_;
    std::string printable_name_;
    std::string own_sid_;
    std::wstring sddl_;
    std::unique_ptr<net::windows::stream_handle> waiting_;  // the instance a client connects to next
    bool stopped_ = false;
    LogThrottle refusals_logged_{std::chrono::seconds(10)};  // other users' connections
};

}  // namespace cti
