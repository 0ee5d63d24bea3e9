#include "logging/log_throttle.hpp"

#include <utility>

namespace cti {

std::optional<std::size_t> LogThrottle::admit(Clock::time_point now) {
    std::lock_guard lock(mutex_);
    if (!interval_start_ || now - *interval_start_ >= interval_) {
        interval_start_ = now;
        logged_in_interval_ = 0;
    }
    if (logged_in_interval_ == burst_) {
        ++left_out_;
        return std::nullopt;
    }
    ++logged_in_interval_;
    return std::exchange(left_out_, 0);
}

std::string left_out_note(std::size_t left_out) {
    if (left_out == 0) return {};
    return " (" + std::to_string(left_out) + " more refused since the last such line)";
}

}  // namespace cti
