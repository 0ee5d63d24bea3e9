// The soak (docs/SOAK.md): calls through the SIP driver at a steady rate for a fixed time with
// many pages connected, watching the adapter's memory, every page's event stream and the
// adapter's log for warnings and errors.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bench_options.hpp"
#include "client_fleet.hpp"
#include "latency_summary.hpp"

namespace cti::bench {

struct SoakOptions {
    double seconds = 600;
    std::size_t clients = 100;
    double calls_per_second = 10;
    double sample_seconds = 5;  // how often the adapter's RSS is read
};

struct RssSample {
    double at_seconds = 0;  // since the first call was offered
    std::uint64_t rss_kib = 0;
};

struct SoakResult {
    SoakOptions options;
    std::size_t calls = 0;             // offered, besides the closing marker call
    double seconds = 0;                // from the first call to the last pop
    std::vector<RssSample> rss;        // the first one before any call, the last one after all
    FleetTally tally;                  // events seen by the pages: lost, out of order, closed
    std::size_t not_popped = 0;        // (call, page) pairs without a screen pop
    LatencySummary latency;            // to the screen pop, every call and page
    std::size_t log_warnings = 0;
    std::size_t log_errors = 0;
    std::vector<std::string> log_excerpt;  // the first few of those lines
};

SoakResult run_soak(const BenchOptions& options, const SoakOptions& soak);
// True when no event was lost or reordered, no page was closed, every call popped at every
// page, and the adapter logged no error.
bool soak_clean(const SoakResult& result);

}  // namespace cti::bench
