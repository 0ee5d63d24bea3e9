// `limits.handshakes_per_second`: how fast new WebSockets may be opened, across all pages.
// A token bucket shared by every HTTP session (each on its own strand), hence the mutex.
#pragma once

#include <cstddef>
#include <mutex>
#include <optional>

#include "core/token_bucket.hpp"

namespace cti {

class HandshakeGate {
public:
    // A burst of `per_second`, then `per_second` on average; 0: no limit.
    explicit HandshakeGate(std::size_t per_second);

    // Nothing when this handshake may go on; otherwise the seconds for Retry-After.
    std::optional<long> admit();

private:
    std::mutex mutex_;
    TokenBucket bucket_;
};

}  // namespace cti
