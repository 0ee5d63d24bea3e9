// Keeps a flood of refusals from flooding the log: the first `burst` refusals of a kind in an
// interval are logged, the rest of that interval left out; the next line after it says how many
// were left out in between.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>

namespace cti {

class LogThrottle {
public:
    using Clock = std::chrono::steady_clock;

    explicit LogThrottle(Clock::duration interval, std::size_t burst = 1) : interval_(interval), burst_(burst) {}

    // Counts one occurrence. Returns how many earlier ones were not logged when this one should
    // be logged, or nothing when it should be left out. Thread-safe.
    std::optional<std::size_t> admit(Clock::time_point now = Clock::now());

private:
    std::mutex mutex_;
    Clock::duration interval_;
    std::size_t burst_;
    std::optional<Clock::time_point> interval_start_;
    std::size_t logged_in_interval_ = 0;
    std::size_t left_out_ = 0;
};

// What a line that follows left-out ones adds: " (12 more refused since the last such line)",
// or nothing when none were left out.
std::string left_out_note(std::size_t left_out);

}  // namespace cti
