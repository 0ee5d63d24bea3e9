#include "logging/log_throttle.hpp"

#include <utility>

namespace cti {

std::optional<std::size_t> LogThrottle::admit(Clock::time_point now) {
    std::lock_guard lock(mutex_);
    if (last_logged_ && now - *last_logged_ < interval_) {
        ++left_out_;
        return std::nullopt;
    }
    last_logged_ = now;
    return std::exchange(left_out_, 0);
}

}  // namespace cti
