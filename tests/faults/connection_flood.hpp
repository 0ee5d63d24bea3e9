// A flood of connections at the adapter from a thread of its own: half of them send a complete
// WebSocket upgrade request, the other half connect and say nothing. Each connection ends in an
// outcome, tallied for the test: upgraded (101; the frames that follow are read and dropped),
// refused (503 or 429, the adapter's connection and handshake limits), another answer, closed
// without an answer, or, for the silent ones, cut by the server (closed, or answered 503 when
// the pool of connections that have sent no request is full).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace cti::test {

struct FloodTally {
    std::size_t handshakes = 0;           // connections that sent an upgrade request
    std::size_t silent = 0;               // connections that sent nothing
    std::size_t connect_failed = 0;
    std::size_t upgraded = 0;             // 101 Switching Protocols
    std::size_t refused = 0;              // 503 or 429
    std::size_t other_answer = 0;         // any other status line
    std::size_t closed_unanswered = 0;    // a handshake closed before any answer
    std::size_t silent_cut = 0;           // a silent connection closed by the server
    std::string first_other;              // the first unexpected answer, for the failure message
};

class ConnectionFlood {
public:
    ConnectionFlood(std::uint16_t port, std::size_t connections);
    ~ConnectionFlood();  // closes every connection still open
    ConnectionFlood(const ConnectionFlood&) = delete;
    ConnectionFlood& operator=(const ConnectionFlood&) = delete;

    // True once every connection has its outcome.
    bool finished() const;
    // Waits until finished (false on timeout) and returns the tally so far.
    FloodTally wait(std::chrono::milliseconds timeout);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace cti::test
