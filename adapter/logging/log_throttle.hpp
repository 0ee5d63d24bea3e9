// Keeps a flood of refusals from flooding the log: the first refusal of a kind is logged, then
// at most one line per interval, which says how many were left out in between.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>

namespace cti {

class LogThrottle {
public:
    using Clock = std::chrono::steady_clock;

    explicit LogThrottle(Clock::duration interval) : interval_(interval) {}

    // Counts one occurrence. Returns how many earlier ones were not logged when this one should
    // be logged, or nothing when it should be left out. Thread-safe.
    std::optional<std::size_t> admit(Clock::time_point now = Clock::now());

private:
    std::mutex mutex_;
    Clock::duration interval_;
    std::optional<Clock::time_point> last_logged_;
    std::size_t left_out_ = 0;
};

}  // namespace cti
