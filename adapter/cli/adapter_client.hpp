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

#include "protocol/client_commands.hpp"
#include "protocol/client_frames.hpp"

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
    const protocol::Hello& hello() const;
    const protocol::SnapshotSummary& snapshot() const;

    // Sends one command and returns the text of its `result` frame (or of the `error` frame
    // the adapter answered it with), for protocol/'s decoder of that command's result. Events
    // that arrive before the result are kept for next_event().
    std::string command(const protocol::ClientCommand& command);

    // The text of the next event frame, oldest first; nullopt when none came within `wait`.
    // After a nullopt the connection is closed (a timed-out read cannot be resumed).
    std::optional<std::string> next_event(std::chrono::milliseconds wait);

    // GET a path over HTTP on the same port; returns its body.
    std::string get_body(const std::string& path);

private:
    struct Connection;
    explicit AdapterClient(std::unique_ptr<Connection> connection);
    std::unique_ptr<Connection> connection_;
};

}  // namespace cti
