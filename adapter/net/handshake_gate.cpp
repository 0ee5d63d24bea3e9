#include "net/handshake_gate.hpp"

namespace cti {

HandshakeGate::HandshakeGate(std::size_t per_second)
    : bucket_(per_second, static_cast<double>(per_second)) {}

std::optional<long> HandshakeGate::admit() {
    std::lock_guard lock(mutex_);
    const auto now = TokenBucket::Clock::now();
    if (bucket_.take(now)) return std::nullopt;
    return bucket_.seconds_until_token(now);
}

}  // namespace cti
