#include "bench_report.hpp"

#include <cstdio>
#include <fstream>
#include <sstream>

namespace cti::bench {
namespace {


std::string fixed(double value, int decimals = 3) {
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    return text;
}

std::string mark(bool met) { return met ? "met" : "**not met**"; }

std::string ratio(double value, double bound) { return bound > 0 ? fixed(value / bound, 2) : "–"; }

const PopResult* find_pop(const BenchResults& results, const std::string& source, std::size_t clients) {
    for (const auto& pop : results.pops)
        if (pop.source == source && pop.clients == clients) return &pop;
    return nullptr;
}

void render_header(std::ostringstream& out, const BenchResults& results) {
    out << "Command: `" << results.command << "`  \n";
    out << "Started " << results.started_at << ", took " << fixed(results.run_seconds, 0) << " s; commit "
        << results.commit << "; " << results.machine << ".  \n";
    out << "Load average (1, 5, 15 min) before: " << results.load_before << "; after: " << results.load_after
        << ".\n\n";
}

std::string ratios(const LatencySummary& value, const LatencySummary& bound) {
    return ratio(value.p50_ms, bound.p50_ms) + " / " + ratio(value.p99_ms, bound.p99_ms);
}

bool within(const LatencySummary& value, const LatencySummary& bound, double factor) {
    return value.p50_ms <= factor * bound.p50_ms && value.p99_ms <= factor * bound.p99_ms;
}

void render_pops(std::ostringstream& out, const BenchResults& results) {
    out << "### Screen-pop latency\n\n"
           "From the moment a call reaches the server (the INVITE or NOTIFY datagram leaves the emulated PBX, "
           "the `simulate` command is written, the trigger datagram leaves for the lower bound) to the moment "
           "each page has read the call's `screen_pop`, and its first event, `call.ringing`, which the adapter "
           "sends just before the pop (the lower bound sends the pop alone; `lower bound, ringing + pop` sends "
           "a `call.ringing` frame and then the pop, as two messages, as the adapter does). Milliseconds; one "
           "sample per call and page; ratios are p50 / p99 to the lower bound with as many pages.\n\n"
           "| source | pages | calls | samples | pop p50 | pop p99 | pop max | pop ÷ lower bound | "
           "pop ÷ lower bound, ringing + pop | ringing p50 | "
           "ringing p99 | ringing ÷ lower bound | lost | out of order | missing pops |\n"
           "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n";
    for (const auto& pop : results.pops) {
        const auto* bound = find_pop(results, "lower bound", pop.clients);
        const auto* pair_bound = find_pop(results, "lower bound, ringing + pop", pop.clients);
        out << "| " << pop.source << " | " << pop.clients << " | " << pop.calls << " | " << pop.latency.samples
            << " | " << fixed(pop.latency.p50_ms) << " | " << fixed(pop.latency.p99_ms) << " | "
            << fixed(pop.latency.max_ms) << " | " << (bound ? ratios(pop.latency, bound->latency) : "–") << " | "
            << (pair_bound ? ratios(pop.latency, pair_bound->latency) : "–") << " | "
            << fixed(pop.first_event_latency.p50_ms) << " | " << fixed(pop.first_event_latency.p99_ms) << " | "
            << (bound ? ratios(pop.first_event_latency, bound->first_event_latency) : "–") << " | "
            << pop.tally.lost << " | " << pop.tally.out_of_order << " | " << pop.missing_pops << " |\n";
    }
    out << "\n";
}

void render_commands(std::ostringstream& out, const BenchResults& results) {
    out << "### Command latency\n\n"
           "`dial` (to a number the simulator reports busy at once) written by a page, to its `result` read by "
           "that page; the lower bound answers any frame with a canned result. Milliseconds.\n\n"
           "| server | commands | p50 | p99 | max | p50 ÷ lower bound | p99 ÷ lower bound | failed |\n"
           "|---|--:|--:|--:|--:|--:|--:|--:|\n";
    const CommandResult* bound = nullptr;
    for (const auto& command : results.commands)
        if (command.target == "lower bound") bound = &command;
    for (const auto& command : results.commands)
        out << "| " << command.target << " | " << command.latency.samples << " | " << fixed(command.latency.p50_ms)
            << " | " << fixed(command.latency.p99_ms) << " | " << fixed(command.latency.max_ms) << " | "
            << (bound ? ratio(command.latency.p50_ms, bound->latency.p50_ms) : "–") << " | "
            << (bound ? ratio(command.latency.p99_ms, bound->latency.p99_ms) : "–") << " | " << command.failed
            << " |\n";
    out << "\n";
}

void render_throughput(std::ostringstream& out, const BenchResults& results) {
    out << "### Sustained throughput (SIP driver, ring-only mode, " << results.throughput_clients << " pages)\n\n"
           "INVITEs sent at a fixed rate (open loop); each call is cancelled as soon as the driver answers "
           "`180 Ringing`, so every call makes four events (`call.ringing`, `screen_pop`, `call.ended`, "
           "`call_log`). Lost and out-of-order events are counted by every page from `seq`.\n\n"
           "| offered calls/s | calls | achieved calls/s | pop p50 ms | pop p99 ms | pop max ms | lost events | "
           "out of order | calls not popped | pages closed |\n"
           "|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n";
    for (const auto& run : results.throughput)
        out << "| " << fixed(run.offered_per_second, 0) << " | " << run.calls << " | "
            << fixed(run.achieved_per_second, 0) << " | " << fixed(run.latency.p50_ms) << " | "
            << fixed(run.latency.p99_ms) << " | " << fixed(run.latency.max_ms) << " | " << run.tally.lost << " | "
            << run.tally.out_of_order << " | " << run.not_popped << " | " << run.tally.closed_by_server << " |\n";
    out << "\n";
}

std::uint64_t rss_with_most_pages(const BenchResults& results, const std::string& source, std::size_t& pages) {
    std::uint64_t rss = 0;
    pages = 0;
    for (const auto& pop : results.pops)
        if (pop.source == source && pop.clients >= pages) {
            pages = pop.clients;
            rss = pop.server_rss_kib;
        }
    return rss;
}

void render_footprint(std::ostringstream& out, const BenchResults& results) {
    const auto& f = results.footprint;
    std::size_t pages = 0, bound_pages = 0;
    const auto rss_busy = rss_with_most_pages(results, "simulator", pages);
    const auto bound_rss_busy = rss_with_most_pages(results, "lower bound", bound_pages);
    out << "### Footprint\n\n"
           "| measure | adapter | lower bound |\n|---|--:|--:|\n";
    out << "| binary size (release build, not stripped) | " << fixed(static_cast<double>(f.binary_bytes) / 1048576.0, 2)
        << " MiB | – |\n";
    out << "| start-up: spawn to `listening on` printed (median / max of " << f.startup_listening.samples << ") | "
        << fixed(f.startup_listening.p50_ms, 1) << " / " << fixed(f.startup_listening.max_ms, 1) << " ms | – |\n";
    out << "| start-up: spawn to `GET /health` answered (median / max) | " << fixed(f.startup_health.p50_ms, 1)
        << " / " << fixed(f.startup_health.max_ms, 1) << " ms | – |\n";
    out << "| idle RSS (no page) | " << fixed(static_cast<double>(f.idle_rss_kib) / 1024.0, 1) << " MiB | "
        << fixed(static_cast<double>(f.lower_bound_idle_rss_kib) / 1024.0, 1) << " MiB |\n";
    out << "| of which file pages (the program and its shared libraries, shared with other processes) | "
        << fixed(static_cast<double>(f.idle_rss_file_kib) / 1024.0, 1) << " MiB | "
        << fixed(static_cast<double>(f.lower_bound_idle_rss_file_kib) / 1024.0, 1) << " MiB |\n";
    out << "| RSS with " << pages << " pages (after the calls) | " << fixed(static_cast<double>(rss_busy) / 1024.0, 1)
        << " MiB | " << fixed(static_cast<double>(bound_rss_busy) / 1024.0, 1) << " MiB |\n";
    out << "| idle wake-ups per second (context switches of all threads over " << fixed(f.idle_seconds, 0)
        << " s) | " << fixed(f.idle_wakeups_per_second, 1) << " | " << fixed(f.lower_bound_idle_wakeups_per_second, 1)
        << " |\n\n";
}

void render_targets(std::ostringstream& out, const BenchResults& results) {
    out << "### Targets\n\n| target | measured | |\n|---|---|---|\n";
    for (const auto& pop : results.pops) {
        if (pop.source.starts_with("lower bound")) continue;
        const auto* bound = find_pop(results, "lower bound", pop.clients);
        if (pop.clients == 1)
            out << "| " << pop.source << ": p99 ≤ 1 ms with 1 page | " << fixed(pop.latency.p99_ms) << " ms | "
                << mark(pop.latency.p99_ms <= 1.0) << " |\n";
        if (pop.clients == 1000)
            out << "| " << pop.source << ": p99 ≤ 10 ms with 1,000 pages | " << fixed(pop.latency.p99_ms) << " ms | "
                << mark(pop.latency.p99_ms <= 10.0) << " |\n";
        if (bound && bound->latency.p50_ms > 0) {
            out << "| " << pop.source << ", " << pop.clients << " pages: pop ≤ 1.5 × lower bound (p50 / p99) | "
                << ratios(pop.latency, bound->latency) << " | " << mark(within(pop.latency, bound->latency, 1.5))
                << " |\n";
            out << "| " << pop.source << ", " << pop.clients
                << " pages: first event ≤ 1.5 × lower bound (p50 / p99) | "
                << ratios(pop.first_event_latency, bound->first_event_latency) << " | "
                << mark(within(pop.first_event_latency, bound->first_event_latency, 1.5)) << " |\n";
        }
    }
    if (!results.throughput.empty()) {
        const auto& top = results.throughput.back();
        out << "| no lost events at the highest rate (" << fixed(top.offered_per_second, 0) << " calls/s offered) | "
            << top.tally.lost << " lost, " << top.tally.out_of_order << " out of order, " << top.not_popped
            << " not popped | " << mark(top.tally.lost == 0 && top.tally.out_of_order == 0 && top.not_popped == 0)
            << " |\n";
    }
    const auto& f = results.footprint;
    out << "| idle RSS ≤ 10 MiB | " << fixed(static_cast<double>(f.idle_rss_kib) / 1024.0, 1) << " MiB | "
        << mark(f.idle_rss_kib <= 10 * 1024) << " |\n";
    out << "| start-up ≤ 50 ms (median, until /health answers) | " << fixed(f.startup_health.p50_ms, 1) << " ms | "
        << mark(f.startup_health.p50_ms <= 50.0) << " |\n";
    out << "| no periodic wake-ups when idle | " << fixed(f.idle_wakeups_per_second, 1) << " per second | "
        << mark(f.idle_wakeups_per_second == 0.0) << " |\n\n";
}

}  // namespace

std::string render_report(const BenchResults& results) {
    std::ostringstream out;
    render_header(out, results);
    render_targets(out, results);
    if (!results.pops.empty()) render_pops(out, results);
    if (!results.commands.empty()) render_commands(out, results);
    if (!results.throughput.empty()) render_throughput(out, results);
    render_footprint(out, results);
    return out.str();
}

std::string render_run_header(const BenchResults& results) {
    std::ostringstream out;
    render_header(out, results);
    return out.str();
}

void write_report(const std::filesystem::path& file, const std::string& report, const ReportMarkers& markers) {
    const auto begin_marker = "<!-- " + markers.tag + ":begin (generated by " + markers.script +
                              "; edits here are overwritten) -->";
    const auto end_marker = "<!-- " + markers.tag + ":end -->";
    std::string text;
    if (std::ifstream in(file); in) text.assign(std::istreambuf_iterator<char>(in), {});
    const auto generated = begin_marker + "\n\n" + report + end_marker;
    const auto begin = text.find(begin_marker);
    const auto end = text.find(end_marker);
    if (begin != std::string::npos && end != std::string::npos && end > begin)
        text.replace(begin, end + end_marker.size() - begin, generated);
    else
        text += (text.empty() ? "" : "\n") + generated + "\n";
    std::ofstream(file) << text;
}

bool every_event_delivered(const BenchResults& results) {
    for (const auto& pop : results.pops)
        if (pop.tally.lost || pop.tally.out_of_order || pop.missing_pops || pop.tally.closed_by_server) return false;
    for (const auto& run : results.throughput)
        if (run.tally.lost || run.tally.out_of_order || run.not_popped || run.tally.closed_by_server) return false;
    for (const auto& command : results.commands)
        if (command.failed) return false;
    return true;
}

}  // namespace cti::bench
