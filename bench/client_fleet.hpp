// Many benchmark pages at once: `clients` WebSocket clients spread over `threads` threads, each
// thread with an io_context of its own (the way separate browser tabs run independently).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "bench_client.hpp"

namespace cti::bench {

struct FleetOptions {
    std::uint16_t port = 0;
    std::string origin;
    std::size_t clients = 1;
    std::size_t threads = 1;
};

// What every client saw, added up.
struct FleetTally {
    std::size_t clients = 0;
    std::uint64_t events = 0;
    std::uint64_t lost = 0;          // skipped event numbers, and those after a client's last one
    std::uint64_t out_of_order = 0;
    std::size_t closed_by_server = 0;
};

class ClientFleet {
public:
    ClientFleet(FleetOptions options, CallBook& book);
    ~ClientFleet();
    ClientFleet(const ClientFleet&) = delete;
    ClientFleet& operator=(const ClientFleet&) = delete;

    // Connects every client and waits for each one's snapshot; throws if one fails.
    void connect(std::chrono::milliseconds timeout);
    // Stops the clients. `final_seq` is the last event number the server sent: events a client
    // never got up to it count as lost.
    FleetTally finish(std::uint64_t final_seq);

private:
    void client_ready(bool ok);
    void stop();

    FleetOptions options_;
    CallBook& book_;
    std::vector<std::unique_ptr<net::io_context>> contexts_;
    std::vector<std::thread> threads_;
    std::vector<std::shared_ptr<BenchClient>> clients_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::size_t ready_ = 0;
    std::size_t failed_ = 0;
};

}  // namespace cti::bench
