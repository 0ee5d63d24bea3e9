// The command line's connection to a running adapter. It talks exactly as a page does: a
// WebSocket to /ws with the adapter's own page origin, hello, snapshot, commands, results.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace cti {

// No adapter answered on any of the ports.
class AdapterNotRunning : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class AdapterClient {
public:
    // Tries each port in order; the first that answers with a cti-adapter `hello` wins.
    static std::unique_ptr<AdapterClient> connect(const std::vector<std::uint16_t>& ports,
                                                  std::chrono::milliseconds timeout);
    ~AdapterClient();

    std::uint16_t port() const;
    const nlohmann::json& hello() const;
    const nlohmann::json& snapshot() const;

    // Sends one command (v, id are added) and returns its `result` frame. Events that arrive
    // before the result are kept for next_event().
    nlohmann::json command(nlohmann::json command);

    // The next event frame, oldest first; nullopt when none came within `wait`. After a
    // nullopt the connection is closed (a timed-out read cannot be resumed).
    std::optional<nlohmann::json> next_event(std::chrono::milliseconds wait);

    // GET a path over HTTP on the same port; returns the JSON body.
    nlohmann::json get_json(const std::string& path);

private:
    struct Connection;
    explicit AdapterClient(std::unique_ptr<Connection> connection);
    std::unique_ptr<Connection> connection_;
};

}  // namespace cti
