// A token bucket: up to `capacity` actions at once, refilled at `per_second`. Used for the
// handshake rate of the listener and the command rates of each page.
#pragma once

#include <chrono>
#include <cstddef>

namespace cti {

class TokenBucket {
public:
    using Clock = std::chrono::steady_clock;

    // A bucket starts full. `capacity` 0 means no limit: take() always succeeds.
    TokenBucket(std::size_t capacity, double per_second, Clock::time_point now = Clock::now());

    // Takes one token if there is one.
    bool take(Clock::time_point now = Clock::now());
    // Whole seconds until the next token, at least 1, for a Retry-After header.
    long seconds_until_token(Clock::time_point now = Clock::now());

    bool unlimited() const { return capacity_ == 0; }
    // Whether it has refilled to its capacity (an unlimited bucket always has).
    bool full(Clock::time_point now = Clock::now());

private:
    void refill(Clock::time_point now);

    double capacity_;
    double per_second_;
    double tokens_;
    Clock::time_point last_;
};

}  // namespace cti
