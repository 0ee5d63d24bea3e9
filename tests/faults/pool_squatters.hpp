// Connections that hold places in the adapter's pre-authentication pool for as long as they
// live, as an attacker would: half trickle an HTTP request one byte at a time, half are
// WebSockets of an allowed origin that never authenticate. Whichever the adapter drops is
// opened again at once, so the pool stays full; the drops are counted, so a test can wait until
// the pool has overflowed. Runs on a thread of its own.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace cti::test {

class PoolSquatters {
public:
    PoolSquatters(std::uint16_t port, std::string origin, std::size_t connections);
    ~PoolSquatters();  // closes them all and joins the thread
    PoolSquatters(const PoolSquatters&) = delete;
    PoolSquatters& operator=(const PoolSquatters&) = delete;

    // Waits until the adapter has dropped at least `drops` of them; false on timeout.
    bool wait_for_drops(std::size_t drops, std::chrono::milliseconds timeout);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace cti::test
