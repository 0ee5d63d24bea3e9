#include "core/command_rate_limiter.hpp"

namespace cti {
namespace {

// A burst of `per_minute`, then `per_minute` a minute on average.
TokenBucket per_minute_bucket(std::size_t per_minute, TokenBucket::Clock::time_point now) {
    return TokenBucket(per_minute, static_cast<double>(per_minute) / 60.0, now);
}

}  // namespace

CommandRateLimiter::ClientBuckets& CommandRateLimiter::buckets_of(
    const ClientConnection* client, TokenBucket::Clock::time_point now) {
    auto found = clients_.find(client);
    if (found != clients_.end()) return found->second;
    return clients_
        .emplace(client, ClientBuckets{per_minute_bucket(rates_.commands_per_minute, now),
                                       per_minute_bucket(rates_.dials_per_minute, now)})
        .first->second;
}

RateVerdict CommandRateLimiter::check(const ClientConnection* client, std::string_view type,
                                      TokenBucket::Clock::time_point now) {
    auto& buckets = buckets_of(client, now);
    if (buckets.exceeded) return RateVerdict::already_exceeded;
    if (!buckets.commands.take(now)) {
        buckets.exceeded = true;
        return RateVerdict::commands_exceeded;
    }
    if (is_dial(type) && !buckets.dials.take(now)) {
        buckets.exceeded = true;
        return RateVerdict::dials_exceeded;
    }
    return RateVerdict::allowed;
}

}  // namespace cti
