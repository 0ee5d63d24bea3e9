#include "core/command_rate_limiter.hpp"

namespace cti {
namespace {

// A burst of `per_minute`, then `per_minute` a minute on average.
TokenBucket per_minute_bucket(std::size_t per_minute, TokenBucket::Clock::time_point now) {
    return TokenBucket(per_minute, static_cast<double>(per_minute) / 60.0, now);
}

}  // namespace

CommandRateLimiter::KeyBuckets& CommandRateLimiter::buckets_for(
    const ClientConnection* client, const std::string& rate_key, TokenBucket::Clock::time_point now) {
    auto known = key_of_client_.find(client);
    if (known != key_of_client_.end()) return keys_.at(known->second);
    key_of_client_.emplace(client, rate_key);
    auto found = keys_.find(rate_key);
    if (found == keys_.end()) {
        drop_idle_keys(now);  // only here can the map grow, so only here it needs trimming
        found = keys_
                    .emplace(rate_key, KeyBuckets{per_minute_bucket(rates_.commands_per_minute, now),
                                                  per_minute_bucket(rates_.dials_per_minute, now)})
                    .first;
    }
    ++found->second.clients;
    return found->second;
}

RateVerdict CommandRateLimiter::check(const ClientConnection* client, const std::string& rate_key,
                                      std::string_view type, TokenBucket::Clock::time_point now) {
    auto& buckets = buckets_for(client, rate_key, now);
    if (exceeded_.contains(client)) return RateVerdict::already_exceeded;
    if (!buckets.commands.take(now)) {
        exceeded_.insert(client);
        return RateVerdict::commands_exceeded;
    }
    if (is_dial(type) && !buckets.dials.take(now)) {
        exceeded_.insert(client);
        return RateVerdict::dials_exceeded;
    }
    return RateVerdict::allowed;
}

void CommandRateLimiter::forget(const ClientConnection* client, TokenBucket::Clock::time_point now) {
    exceeded_.erase(client);
    auto known = key_of_client_.find(client);
    if (known == key_of_client_.end()) return;
    if (auto found = keys_.find(known->second); found != keys_.end() && found->second.clients > 0)
        --found->second.clients;
    key_of_client_.erase(known);
    drop_idle_keys(now);
}

void CommandRateLimiter::drop_idle_keys(TokenBucket::Clock::time_point now) {
    for (auto entry = keys_.begin(); entry != keys_.end();) {
        auto& buckets = entry->second;
        const bool idle = buckets.clients == 0 && buckets.commands.full(now) && buckets.dials.full(now);
        entry = idle ? keys_.erase(entry) : std::next(entry);
    }
}

}  // namespace cti
