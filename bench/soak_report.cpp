#include "soak_report.hpp"

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "bench_report.hpp"

namespace cti::bench {
namespace {

constexpr double warm_up_share = 0.1;  // the first tenth of the run fills pools and caches
constexpr double table_step_seconds = 60;

std::string fixed(double value, int decimals) {
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    return text;
}

std::string mib(std::uint64_t kib) { return fixed(static_cast<double>(kib) / 1024.0, 1) + " MiB"; }

std::string signed_mib(std::int64_t kib) {
    return (kib >= 0 ? "+" : "") + fixed(static_cast<double>(kib) / 1024.0, 1) + " MiB";
}

// The first sample taken after the warm-up.
const RssSample& after_warm_up(const SoakResult& result) {
    const auto warm = result.seconds * warm_up_share;
    for (const auto& sample : result.rss)
        if (sample.at_seconds >= warm) return sample;
    return result.rss.back();
}

void render_summary(std::ostringstream& out, const SoakResult& result) {
    const auto& first = result.rss.front();
    const auto& warm = after_warm_up(result);
    const auto& last = result.rss.back();
    const auto peak = std::max_element(result.rss.begin(), result.rss.end(),
                                       [](const auto& a, const auto& b) { return a.rss_kib < b.rss_kib; });
    const auto drift = static_cast<std::int64_t>(last.rss_kib) - static_cast<std::int64_t>(warm.rss_kib);
    const auto& tally = result.tally;
    out << "| | |\n|---|--:|\n";
    out << "| pages connected | " << result.options.clients << " |\n";
    out << "| calls offered (rate) | " << result.calls << " (" << fixed(result.options.calls_per_second, 1)
        << " per second) |\n";
    out << "| run, first call to last pop | " << fixed(result.seconds, 0) << " s |\n";
    out << "| RSS before the first call | " << mib(first.rss_kib) << " |\n";
    out << "| RSS after the warm-up (" << fixed(warm.at_seconds, 0) << " s) | " << mib(warm.rss_kib) << " |\n";
    out << "| RSS at the end | " << mib(last.rss_kib) << " |\n";
    out << "| **RSS drift after the warm-up** | **" << signed_mib(drift) << "** |\n";
    out << "| RSS peak | " << mib(peak->rss_kib) << " |\n";
    out << "| events delivered (all pages) | " << tally.events << " |\n";
    out << "| **lost events** | **" << tally.lost << "** |\n";
    out << "| **out-of-order events** | **" << tally.out_of_order << "** |\n";
    out << "| pages closed by the adapter | " << tally.closed_by_server << " |\n";
    out << "| screen pops missing (call × page) | " << result.not_popped << " |\n";
    out << "| screen-pop latency p50 / p99 / max | " << fixed(result.latency.p50_ms, 2) << " / "
        << fixed(result.latency.p99_ms, 2) << " / " << fixed(result.latency.max_ms, 2) << " ms |\n";
    out << "| **errors** in the adapter's log | **" << result.log_errors << "** |\n";
    out << "| warnings in the adapter's log | " << result.log_warnings << " |\n";
    out << "| verdict | " << (soak_clean(result) ? "clean" : "**NOT clean**") << " |\n\n";
}

void render_samples(std::ostringstream& out, const SoakResult& result) {
    out << "RSS over the run (one sample a minute of those taken every "
        << fixed(result.options.sample_seconds, 0) << " s):\n\n| s | RSS |\n|--:|--:|\n";
    double next = 0;
    double printed = -table_step_seconds;
    for (const auto& sample : result.rss) {
        const bool last = &sample == &result.rss.back();
        if (sample.at_seconds < next && !(last && sample.at_seconds - printed >= 1)) continue;
        out << "| " << fixed(sample.at_seconds, 0) << " | " << mib(sample.rss_kib) << " |\n";
        printed = sample.at_seconds;
        next = sample.at_seconds + table_step_seconds;
    }
    out << "\n";
}

void render_log_excerpt(std::ostringstream& out, const SoakResult& result) {
    if (result.log_excerpt.empty()) return;
    out << "First warnings and errors of the adapter's log:\n\n```\n";
    for (const auto& line : result.log_excerpt) out << line << "\n";
    out << "```\n\n";
}

}  // namespace

std::string render_soak_report(const BenchResults& run, const SoakResult& result) {
    std::ostringstream out;
    out << render_run_header(run);
    render_summary(out, result);
    render_samples(out, result);
    render_log_excerpt(out, result);
    return out.str();
}

}  // namespace cti::bench
