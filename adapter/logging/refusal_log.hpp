// The warnings for refused requests, connections and pages, throttled per kind of refusal, so a
// flood of one kind (3,000 requests of a foreign origin) gives a few lines a kind and not a
// line each: the log files roll over after 20 MiB, and a flood must not push out what came
// before it. A throttled kind still shows: its next line says how many were left out.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <string>

#include <spdlog/common.h>

#include "logging/log_throttle.hpp"

namespace cti {

enum class RefusalKind {
    host,               // a Host other than a loopback name with the port (DNS rebinding)
    origin,             // an Origin not in allowed_origins
    busy,               // 503 (max_connections) and 429 (handshakes_per_second)
    not_authenticated,  // a page closed before it authenticated (4001; 4029 for a flood of frames)
    pairing,            // a pairing request refused (too many pending)
    forbidden_command,  // a command only the adapter's own origin may send (pairing.approve)
    tls_handshake,      // a TLS handshake that failed (a browser that does not trust the certificate)
    oversized_message,  // a page closed for a message over limits.max_message_bytes (1009)
    not_reading,        // a page closed because it does not read its events (4008)
    command_rate,       // a page closed for commands_per_minute or dials_per_minute (4029)
};

class RefusalLog {
public:
    RefusalLog();

    // Logs `line` as a warning (or at `level`) unless its kind has logged its lines for this
    // interval. Thread-safe.
    void log(RefusalKind kind, const std::string& line, spdlog::level::level_enum level = spdlog::level::warn);

    static constexpr std::size_t kinds = static_cast<std::size_t>(RefusalKind::command_rate) + 1;

private:
    std::array<LogThrottle, kinds> throttles_;
};

}  // namespace cti
