// How many commands each page may send: `commands_per_minute` of any kind and, stricter,
// `dials_per_minute` of those that make the phone system call a number (dial, transfer).
// A page over either rate is closed with 4029 by the core; the net layer never sees command
// types, so the limiter lives here.
//
// The rates are counted per rate key (ClientConnection::rate_key: the page's pairing, or its
// origin when it has none), not per connection: parallel connections of one pairing draw on
// the same buckets, and a page that reconnects finds them as it left them. A key's buckets are
// kept while any connection uses them and, after the last one goes, until they have filled up
// again (only then would a fresh count be the same).
#pragma once

#include <cstddef>
#include <map>
#include <set>
#include <string>
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

    RateVerdict check(const ClientConnection* client, const std::string& rate_key, std::string_view type,
                      TokenBucket::Clock::time_point now = TokenBucket::Clock::now());
    // The client is gone; its key's buckets stay until they have refilled.
    void forget(const ClientConnection* client, TokenBucket::Clock::time_point now = TokenBucket::Clock::now());
    // Rate keys whose buckets are kept.
    std::size_t tracked() const { return keys_.size(); }
    const CommandRates& rates() const { return rates_; }

    // Commands that make the phone system call a number the page chose.
    static bool is_dial(std::string_view type) { return type == "dial" || type == "transfer"; }

private:
    struct KeyBuckets {
        TokenBucket commands;
        TokenBucket dials;
        std::size_t clients = 0;  // connections counted under this key now
    };

    KeyBuckets& buckets_for(const ClientConnection* client, const std::string& rate_key,
                            TokenBucket::Clock::time_point now);
    // Drops the buckets no connection uses and that are full again: they count nothing.
    void drop_idle_keys(TokenBucket::Clock::time_point now);

    CommandRates rates_;
    std::map<std::string, KeyBuckets, std::less<>> keys_;
    std::map<const ClientConnection*, std::string> key_of_client_;
    std::set<const ClientConnection*> exceeded_;  // being closed for going over
};

}  // namespace cti
