// The provider's socket: a TCP server on loopback. Every client gets PROVIDER_INIT, then every
// LINE_CALLSTATE; it may send line operations (answered with LINE_REPLY) and control commands
// (answered with CONTROL_REPLY). The driver is one client; tests and trainers are others.
// PROVIDER_INIT lists the calls on the line, so a client that reconnects learns what is going on.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <nlohmann/json.hpp>

#include "provider/line_emulator.hpp"

namespace cti::tapi {

class ClientConnection;

class ProviderServer {
public:
    ProviderServer(boost::asio::io_context& io, const std::string& host, std::uint16_t port,
                   EmulatorSettings settings);
    ~ProviderServer();
    std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
    LineEmulator& emulator() { return emulator_; }
    // Runs once, when the first client has connected and been sent PROVIDER_INIT.
    void on_first_client(std::function<void()> action) { on_first_client_ = std::move(action); }

    // Called by connections. Returns the reply to send back to `sender` ("" = none).
    std::string handle_line(const std::string& line, const ClientConnection& sender);
    void remove(const std::shared_ptr<ClientConnection>& connection);

private:
    void accept();
    void broadcast(const std::string& line);
    std::string drop_connections(const nlohmann::json& object, const ClientConnection& sender);

    boost::asio::io_context& io_;
    boost::asio::ip::tcp::acceptor acceptor_;
    LineEmulator emulator_;
    std::set<std::shared_ptr<ClientConnection>> clients_;
    std::function<void()> on_first_client_;
    std::string instance_;  // sent in PROVIDER_INIT: a client can tell a restarted provider
};

}  // namespace cti::tapi
