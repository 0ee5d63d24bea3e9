#include "core/token_bucket.hpp"

#include <algorithm>
#include <cmath>

namespace cti {

TokenBucket::TokenBucket(std::size_t capacity, double per_second, Clock::time_point now)
    : capacity_(static_cast<double>(capacity)),
      per_second_(per_second),
      tokens_(static_cast<double>(capacity)),
      last_(now) {}

void TokenBucket::refill(Clock::time_point now) {
    if (now <= last_) return;  // a clock read out of order adds nothing
    const std::chrono::duration<double> elapsed = now - last_;
    tokens_ = std::min(capacity_, tokens_ + elapsed.count() * per_second_);
    last_ = now;
}

bool TokenBucket::take(Clock::time_point now) {
    if (unlimited()) return true;
    refill(now);
    if (tokens_ < 1.0) return false;
    tokens_ -= 1.0;
    return true;
}

bool TokenBucket::full(Clock::time_point now) {
    if (unlimited()) return true;
    refill(now);
    return tokens_ >= capacity_;
}

long TokenBucket::seconds_until_token(Clock::time_point now) {
    if (unlimited() || per_second_ <= 0) return 1;
    refill(now);
    const double missing = std::max(0.0, 1.0 - tokens_);
    return std::max(1L, static_cast<long>(std::ceil(missing / per_second_)));
}

}  // namespace cti
