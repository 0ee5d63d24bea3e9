#include "logging/refusal_log.hpp"

#include <utility>

#include <spdlog/spdlog.h>

namespace cti {
namespace {

constexpr auto interval = std::chrono::seconds(10);

// A refused Host or Origin, a 4001, a refused pairing or a forbidden command is what support
// reads to put a page's configuration right, and one page makes a few different requests (the
// WebSocket, cti.js, the probe): a few lines of each kind an interval name them. 503 and 429
// say only "overloaded".
std::size_t lines_per_interval(RefusalKind kind) { return kind == RefusalKind::busy ? 1 : 3; }

template <std::size_t... kind>
std::array<LogThrottle, sizeof...(kind)> throttles_for(std::index_sequence<kind...>) {
    return {LogThrottle(interval, lines_per_interval(static_cast<RefusalKind>(kind)))...};
}

}  // namespace

RefusalLog::RefusalLog() : throttles_(throttles_for(std::make_index_sequence<kinds>())) {}

void RefusalLog::log(RefusalKind kind, const std::string& line, spdlog::level::level_enum level) {
    const auto left_out = throttles_.at(static_cast<std::size_t>(kind)).admit();
    if (!left_out) return;
    spdlog::log(level, "{}{}", line, left_out_note(*left_out));
}

}  // namespace cti
