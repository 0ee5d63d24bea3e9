#include "logging/refusal_log.hpp"

#include <spdlog/spdlog.h>

namespace cti {
namespace {

constexpr auto interval = std::chrono::seconds(10);
// A refused Host or Origin, a 4001 or a refused pairing is what support reads to put a page's
// configuration right, and one page makes a few different requests (the WebSocket, cti.js, the
// probe): a few lines of each kind an interval name them. 503 and 429 say only "overloaded".
constexpr std::size_t lines_naming_the_refused = 3;
constexpr std::size_t lines_saying_overloaded = 1;

}  // namespace

RefusalLog::RefusalLog()
    : throttles_{LogThrottle(interval, lines_naming_the_refused), LogThrottle(interval, lines_naming_the_refused),
                 LogThrottle(interval, lines_saying_overloaded), LogThrottle(interval, lines_naming_the_refused),
                 LogThrottle(interval, lines_naming_the_refused)} {}

void RefusalLog::warn(RefusalKind kind, const std::string& line) {
    const auto left_out = throttles_.at(static_cast<std::size_t>(kind)).admit();
    if (!left_out) return;
    spdlog::warn("{}{}", line, left_out_note(*left_out));
}

}  // namespace cti
