// Binds 127.0.0.1 on the first free port of the configured list and accepts connections, each
// on a strand of its own.
//
// With `same_user_only` (the default) only this user's processes may come in: 127.0.0.1 is
// shared by every user of a terminal server or Citrix host, and a page's Origin is what any
// local program can claim. The owner of each accepted connection's other end is looked up in
// the system's socket tables (platform::find_peer_user) before a byte is read, and a connection
// of another user, or of one that cannot be told, is closed unanswered.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "logging/log_throttle.hpp"
#include "net/beast.hpp"
#include "net/server_context.hpp"
#include "platform/port_holder.hpp"

namespace cti {

// One port that could not be used, and why, for the log and the exit message.
struct BindAttempt {
    std::uint16_t port = 0;
    std::string problem;  // empty when this is the port that was bound
    std::optional<platform::PortHolder> holder;  // who has it, when it is in use and we can tell
};

class Listener : public std::enable_shared_from_this<Listener> {
public:
    Listener(net::io_context& io, ServerContext& context);

    // Tries `ports` in order; returns every attempt. On success the last attempt has no problem
    // and bound_port() is set. Logs each failure as it happens.
    std::vector<BindAttempt> bind(const std::vector<std::uint16_t>& ports);
    std::uint16_t bound_port() const { return bound_port_; }

    void run();
    void stop();

private:
    beast::error_code try_bind(std::uint16_t port);
    void do_accept();
    void on_accept(beast::error_code ec, tcp::socket socket);
    bool peer_is_own_user(tcp::socket& socket);

    net::io_context& io_;
    ServerContext& context_;
    tcp::acceptor acceptor_;
    std::uint16_t bound_port_ = 0;
    LogThrottle refusals_logged_{std::chrono::seconds(10)};  // other users' connections
};

}  // namespace cti
