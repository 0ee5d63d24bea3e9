// Capped exponential backoff for reconnecting: initial, doubled after each failure, up to max.
#pragma once

#include <algorithm>
#include <cstdint>

namespace cti::sip {

class Backoff {
public:
    Backoff(std::int64_t initial_ms, std::int64_t max_ms) : initial_ms_(initial_ms), max_ms_(max_ms) {}

    // The delay before the next attempt; each call doubles the following one.
    std::int64_t next_ms() {
        const auto delay = std::min(current_ms_ == 0 ? initial_ms_ : current_ms_, max_ms_);
        current_ms_ = std::min(delay * 2, max_ms_);
        return delay;
    }
    void reset() { current_ms_ = 0; }

private:
    std::int64_t initial_ms_;
    std::int64_t max_ms_;
    std::int64_t current_ms_ = 0;
};

}  // namespace cti::sip
