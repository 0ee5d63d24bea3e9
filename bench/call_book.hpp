// What the benchmark knows about each call it places: when it was sent, and when its screen pop
// reached each client. Shared by the sender (one thread) and the receiving clients (others).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

namespace cti::bench {

class CallBook {
public:
    CallBook(std::size_t calls, std::size_t clients);

    std::size_t calls() const { return calls_; }
    std::size_t clients() const { return clients_; }

    // The moment the call reached the server under test (just before the datagram or command
    // left the benchmark).
    void mark_sent(std::size_t call);
    // A client saw the call's screen pop at `at_ns`. Unknown calls and repeats are ignored.
    void record_arrival(std::size_t call, std::size_t client, std::int64_t at_ns);
    // A client saw the first event of the call (`call.ringing`; the pop itself when it comes
    // alone, as from the lower bound).
    void record_first_event(std::size_t call, std::size_t client, std::int64_t at_ns);

    // A client saw the call's call_log, its last event.
    void record_logged(std::size_t call);

    // Waits until every client has seen the call's pop; false on timeout.
    bool wait_popped(std::size_t call, std::chrono::milliseconds timeout);
    // Waits until every client has seen the call's call_log; false on timeout.
    bool wait_logged(std::size_t call, std::chrono::milliseconds timeout);
    // Waits until `count` calls have popped at every client, as long as calls keep completing:
    // false once none has for `stall`.
    bool wait_many_popped(std::size_t count, std::chrono::milliseconds stall);

    // Latencies (ns) of every pop that arrived, and how many (call, client) pops never did.
    // Call only once the receivers are quiet (after a wait above, or after they stopped).
    std::vector<std::int64_t> latencies() const;
    std::vector<std::int64_t> first_event_latencies() const;
    std::size_t missing_pops() const;
    std::int64_t first_sent_ns() const;
    std::int64_t last_arrival_ns() const;

private:
    void call_complete();

    std::size_t calls_;
    std::size_t clients_;
    std::unique_ptr<std::atomic<std::int64_t>[]> sent_ns_;
    std::unique_ptr<std::atomic<std::uint32_t>[]> arrivals_;
    std::unique_ptr<std::atomic<std::uint32_t>[]> logged_;
    std::vector<std::int64_t> since_sent(const std::vector<std::int64_t>& arrivals) const;

    std::vector<std::int64_t> arrival_ns_;      // [call * clients + client], 0 = not arrived
    std::vector<std::int64_t> first_event_ns_;  // the same for the call's first event
    std::atomic<std::size_t> complete_{0};
    std::mutex mutex_;
    std::condition_variable changed_;
};

}  // namespace cti::bench
