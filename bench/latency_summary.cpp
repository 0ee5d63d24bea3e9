#include "latency_summary.hpp"

#include <algorithm>

namespace cti::bench {
namespace {

double to_ms(std::int64_t ns) { return static_cast<double>(ns) / 1e6; }

// Nearest-rank percentile of sorted values.
std::int64_t percentile(const std::vector<std::int64_t>& sorted, double fraction) {
    const auto rank = static_cast<std::size_t>(fraction * static_cast<double>(sorted.size() - 1) + 0.5);
    return sorted[std::min(rank, sorted.size() - 1)];
}

}  // namespace

LatencySummary summarize(std::vector<std::int64_t> latencies_ns) {
    LatencySummary summary;
    summary.samples = latencies_ns.size();
    if (latencies_ns.empty()) return summary;
    std::sort(latencies_ns.begin(), latencies_ns.end());
    summary.p50_ms = to_ms(percentile(latencies_ns, 0.50));
    summary.p99_ms = to_ms(percentile(latencies_ns, 0.99));
    summary.max_ms = to_ms(latencies_ns.back());
    return summary;
}

}  // namespace cti::bench
