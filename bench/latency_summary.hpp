// p50 / p99 / max of a set of latencies.
#pragma once

#include <cstdint>
#include <vector>

namespace cti::bench {

struct LatencySummary {
    std::size_t samples = 0;
    double p50_ms = 0;
    double p99_ms = 0;
    double max_ms = 0;
};

LatencySummary summarize(std::vector<std::int64_t> latencies_ns);

}  // namespace cti::bench
