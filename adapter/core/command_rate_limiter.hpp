// How many commands each page may send: `commands_per_minute` of any kind and, stricter,
// `dials_per_minute` of those that make the phone system call a number (dial, transfer).
// A page over either rate is closed with 4029 by the core; the net layer never sees command
// types, so the limiter lives here and is keyed by the core's client.
#pragma once

#include <cstddef>
#include <map>
#include <string_view>

#include "core/token_bucket.hpp"

namespace cti {

class ClientConnection;

struct CommandRates {
    std::size_t commands_per_minute = 600;  // 0: no limit
    std::size_t dials_per_minute = 20;      // 0: no limit
};

enum class RateVerdict {
    allowed,
    commands_exceeded,  // this command went over commands_per_minute
    dials_exceeded,     // this dial went over dials_per_minute
    already_exceeded,   // the client went over before and is being closed: drop the command
};

class CommandRateLimiter {
public:
    explicit CommandRateLimiter(CommandRates rates) : rates_(rates) {}

    RateVerdict check(const ClientConnection* client, std::string_view type,
                      TokenBucket::Clock::time_point now = TokenBucket::Clock::now());
    // The client is gone: its buckets go too.
    void forget(const ClientConnection* client) { clients_.erase(client); }
    std::size_t tracked() const { return clients_.size(); }
    const CommandRates& rates() const { return rates_; }

    // Commands that make the phone system call a number the page chose.
    static bool is_dial(std::string_view type) { return type == "dial" || type == "transfer"; }

private:
    struct ClientBuckets {
        TokenBucket commands;
        TokenBucket dials;
        bool exceeded = false;
    };

    ClientBuckets& buckets_of(const ClientConnection* client, TokenBucket::Clock::time_point now);

    CommandRates rates_;
    std::map<const ClientConnection*, ClientBuckets> clients_;
};

}  // namespace cti
