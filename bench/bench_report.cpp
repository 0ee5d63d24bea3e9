#include "bench_report.hpp"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <vector>

namespace cti::bench {
namespace {

std::string fixed(double value, int decimals = 3) {
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    return text;
}

// 1000 as "1,000", as the documents write page counts.
std::string with_thousands(std::size_t value) {
    auto text = std::to_string(value);
    for (auto at = text.size(); at > 3; at -= 3) text.insert(at - 3, ",");
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

bool is_peer(const PopResult& pop) { return pop.source.starts_with("lower bound") || pop.source.starts_with("node"); }

void render_pops(std::ostringstream& out, const BenchResults& results) {
    out << "### Screen-pop latency\n\n"
           "From the moment a call reaches the server (the INVITE or NOTIFY datagram leaves the emulated PBX, "
           "the `simulate` command is written, the trigger datagram leaves for the lower bound or the Node "
           "forwarder) to the moment each page has read the call's `screen_pop`, and its first event, "
           "`call.ringing`, which the adapter sends just before the pop (the lower bound sends the pop alone; "
           "`lower bound, ringing + pop` and the Node `ws` forwarder send a `call.ringing` frame and then the "
           "pop, as two messages, as the adapter does). Milliseconds; one sample per call and page; ratios are "
           "p50 / p99 to the peer with as many pages.\n\n"
           "| source | pages | calls | samples | pop p50 | pop p99 | pop max | pop ÷ lower bound | "
           "pop ÷ lower bound, ringing + pop | pop ÷ node ws forwarder | ringing p50 | "
           "ringing p99 | ringing ÷ lower bound | lost | out of order | missing pops |\n"
           "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n";
    for (const auto& pop : results.pops) {
        const auto* bound = find_pop(results, lower_bound_name, pop.clients);
        const auto* pair_bound = find_pop(results, lower_bound_pair_name, pop.clients);
        const auto* node = find_pop(results, node_forwarder_name, pop.clients);
        out << "| " << pop.source << " | " << pop.clients << " | " << pop.calls << " | " << pop.latency.samples
            << " | " << fixed(pop.latency.p50_ms) << " | " << fixed(pop.latency.p99_ms) << " | "
            << fixed(pop.latency.max_ms) << " | " << (bound ? ratios(pop.latency, bound->latency) : "–") << " | "
            << (pair_bound ? ratios(pop.latency, pair_bound->latency) : "–") << " | "
            << (node ? ratios(pop.latency, node->latency) : "–") << " | "
            << fixed(pop.first_event_latency.p50_ms) << " | " << fixed(pop.first_event_latency.p99_ms) << " | "
            << (bound ? ratios(pop.first_event_latency, bound->first_event_latency) : "–") << " | "
            << pop.tally.lost << " | " << pop.tally.out_of_order << " | " << pop.missing_pops << " |\n";
    }
    out << "\n";
}

void render_commands(std::ostringstream& out, const BenchResults& results) {
    out << "### Command latency\n\n"
           "`dial` (to a number the simulator reports busy at once) written by a page, to its `result` read by "
           "that page; the lower bound and the Node forwarder answer any frame with a canned result. "
           "Milliseconds.\n\n"
           "| server | commands | p50 | p99 | max | p50 ÷ lower bound | p99 ÷ lower bound | "
           "p50 / p99 ÷ node ws forwarder | failed |\n"
           "|---|--:|--:|--:|--:|--:|--:|--:|--:|\n";
    const CommandResult *bound = nullptr, *node = nullptr;
    for (const auto& command : results.commands) {
        if (command.target == lower_bound_name) bound = &command;
        if (command.target == node_forwarder_command_name) node = &command;
    }
    for (const auto& command : results.commands)
        out << "| " << command.target << " | " << command.latency.samples << " | " << fixed(command.latency.p50_ms)
            << " | " << fixed(command.latency.p99_ms) << " | " << fixed(command.latency.max_ms) << " | "
            << (bound ? ratio(command.latency.p50_ms, bound->latency.p50_ms) : "–") << " | "
            << (bound ? ratio(command.latency.p99_ms, bound->latency.p99_ms) : "–") << " | "
            << (node ? ratios(command.latency, node->latency) : "–") << " | " << command.failed << " |\n";
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

std::string mib(std::uint64_t kib) { return fixed(static_cast<double>(kib) / 1024.0, 1) + " MiB"; }

// One row of the footprint table: the adapter's, the lower bound's and the Node forwarder's.
template <typename Cell>
void footprint_row(std::ostringstream& out, const std::string& measure, const Footprint& f, Cell cell) {
    out << "| " << measure;
    for (const auto* server : {&f.adapter, &f.lower_bound, &f.node_forwarder})
        out << " | " << (server->measured ? cell(*server) : "not measured");
    out << " |\n";
}

void render_footprint(std::ostringstream& out, const BenchResults& results) {
    const auto& f = results.footprint;
    std::size_t pages = 0, bound_pages = 0, node_pages = 0;
    const auto rss_busy = rss_with_most_pages(results, "simulator", pages);
    const auto bound_rss_busy = rss_with_most_pages(results, lower_bound_name, bound_pages);
    const auto node_rss_busy = rss_with_most_pages(results, node_forwarder_name, node_pages);
    out << "### Footprint\n\n"
           "Memory from `/proc/PID/smaps_rollup` with no page connected: private is the anonymous pages (heap, "
           "stacks, relocated data), file pages the rest of RSS (the program and its shared libraries, shared "
           "with every other process that maps them). Wake-ups: context switches of all the process's threads "
           "over the idle window, with one page connected and no call.\n\n"
           "| measure | adapter | lower bound | node ws forwarder |\n|---|--:|--:|--:|\n";
    out << "| binary size (release build, not stripped) | " << fixed(static_cast<double>(f.binary_bytes) / 1048576.0, 2)
        << " MiB | – | – |\n";
    out << "| start-up: spawn to `listening on` printed (median / max of " << f.startup_listening.samples << ") | "
        << fixed(f.startup_listening.p50_ms, 1) << " / " << fixed(f.startup_listening.max_ms, 1) << " ms | – | – |\n";
    out << "| start-up: spawn to `GET /health` answered (median / max) | " << fixed(f.startup_health.p50_ms, 1)
        << " / " << fixed(f.startup_health.max_ms, 1) << " ms | – | – |\n";
    footprint_row(out, "idle RSS (no page)", f, [](const IdleServer& s) { return mib(s.memory.rss_kib); });
    footprint_row(out, "of which private (anonymous)", f, [](const IdleServer& s) { return mib(s.memory.private_kib); });
    footprint_row(out, "of which file pages", f, [](const IdleServer& s) { return mib(s.memory.file_kib); });
    out << "| RSS with the most pages (after the calls) | " << mib(rss_busy) << " (" << pages << " pages) | "
        << mib(bound_rss_busy) << " (" << bound_pages << ") | "
        << (node_pages ? mib(node_rss_busy) + " (" + std::to_string(node_pages) + ")" : "not measured") << " |\n";
    footprint_row(out, "idle wake-ups over " + fixed(f.idle_seconds, 1) + " s, one page connected", f,
                  [](const IdleServer& s) { return std::to_string(s.wakeups); });
    footprint_row(out, "idle wake-ups per second", f, [](const IdleServer& s) { return fixed(s.wakeups_per_second, 1); });
    out << "\n";
}

// The targets (docs/PERFORMANCE.md): one table each, every row met or not, and a summary first.
class TargetTables {
public:
    explicit TargetTables(const BenchResults& results) : results_(results) {}

    std::string render() {
        pop_target("One page: pop ≤ 1.5 × the lower bound at p50 and ≤ 2 × at p99", lower_bound_name, 1.5, 2.0, false,
                   [](const PopResult& pop) { return pop.clients == 1; });
        dial_target();
        pop_target("100 and 1,000 pages: no slower than the lower bound sending ringing + pop, at p50 and p99",
                   lower_bound_pair_name, 1.0, 1.0, false, [](const PopResult& pop) { return pop.clients >= 100; });
        pop_target("Faster than the Node.js `ws` forwarder (ringing + pop) at p50 and p99 with " +
                       page_counts(node_forwarder_name),
                   node_forwarder_name, 1.0, 1.0, true, [](const PopResult&) { return true; });
        delivery_target();
        memory_target();
        wakeup_target();
        startup_target();
        std::ostringstream out;
        out << "### Targets\n\n| target | rows met |\n|---|---|\n" << summary_.str() << "\n" << tables_.str();
        return out.str();
    }

private:
    // "1, 100 and 1,000 pages": the page counts `peer` was measured with.
    std::string page_counts(const std::string& peer) const {
        std::vector<std::string> counts;
        for (const auto& pop : results_.pops)
            if (pop.source == peer) counts.push_back(with_thousands(pop.clients));
        if (counts.empty()) return "every page count";
        std::string text = counts.front();
        for (std::size_t i = 1; i < counts.size(); ++i) text += (i + 1 == counts.size() ? " and " : ", ") + counts[i];
        return text + (counts.size() == 1 && counts.front() == "1" ? " page" : " pages");
    }

    void add(const std::string& title, std::size_t met, std::size_t rows, const std::string& table) {
        summary_ << "| " << title << " | " << (rows ? std::to_string(met) + " of " + std::to_string(rows) : "not measured")
                 << " " << (rows ? mark(met == rows) : "") << " |\n";
        tables_ << "#### " << title << "\n\n" << table << "\n";
    }

    // Each adapter phase `select` takes, against the peer with as many pages: ratio ≤ factor
    // (< factor when `strictly`, for "faster than").
    template <typename Select>
    void pop_target(const std::string& title, const std::string& peer, double p50_factor, double p99_factor,
                    bool strictly, Select select) {
        std::ostringstream table;
        table << "| source | pages | pop p50 | " << peer << " p50 | ÷ | pop p99 | " << peer << " p99 | ÷ | |\n"
              << "|---|--:|--:|--:|--:|--:|--:|--:|---|\n";
        std::size_t rows = 0, met = 0;
        const auto within = [strictly](double value, double bound, double factor) {
            return strictly ? value < factor * bound : value <= factor * bound;
        };
        for (const auto& pop : results_.pops) {
            if (is_peer(pop) || !select(pop)) continue;
            const auto* bound = find_pop(results_, peer, pop.clients);
            if (!bound) continue;
            const bool ok = within(pop.latency.p50_ms, bound->latency.p50_ms, p50_factor) &&
                            within(pop.latency.p99_ms, bound->latency.p99_ms, p99_factor);
            ++rows;
            met += ok;
            table << "| " << pop.source << " | " << pop.clients << " | " << fixed(pop.latency.p50_ms) << " | "
                  << fixed(bound->latency.p50_ms) << " | " << ratio(pop.latency.p50_ms, bound->latency.p50_ms) << " | "
                  << fixed(pop.latency.p99_ms) << " | " << fixed(bound->latency.p99_ms) << " | "
                  << ratio(pop.latency.p99_ms, bound->latency.p99_ms) << " | " << mark(ok) << " |\n";
        }
        if (rows == 0) table << "| not measured (no such phase, or no " << peer << ") | | | | | | | | |\n";
        add(title, met, rows, table.str());
    }

    void dial_target() {
        const CommandResult *bound = nullptr, *adapter = nullptr;
        for (const auto& command : results_.commands) {
            if (command.target == lower_bound_name) bound = &command;
            if (command.target.starts_with("adapter")) adapter = &command;
        }
        std::ostringstream table;
        table << "| server | `dial` → `result` p50 | lower bound p50 | ÷ | |\n|---|--:|--:|--:|---|\n";
        std::size_t rows = 0, met = 0;
        // A run with --commands 0 has both rows with no sample: nothing to call met.
        if (bound && adapter && bound->latency.samples > 0 && adapter->latency.samples > 0) {
            const bool ok = adapter->latency.p50_ms <= 1.5 * bound->latency.p50_ms;
            rows = 1;
            met = ok;
            table << "| " << adapter->target << " | " << fixed(adapter->latency.p50_ms) << " | "
                  << fixed(bound->latency.p50_ms) << " | " << ratio(adapter->latency.p50_ms, bound->latency.p50_ms)
                  << " | " << mark(ok) << " |\n";
        } else {
            table << "| not measured (no `dial` round trips in this run) | | | | |\n";
        }
        add("`dial` → `result` ≤ 1.5 × the lower bound at p50", met, rows, table.str());
    }

    void delivery_target() {
        std::ostringstream table;
        table << "| offered calls/s | pages | lost | out of order | not popped | pages closed | |\n"
                 "|--:|--:|--:|--:|--:|--:|---|\n";
        std::size_t rows = 0, met = 0;
        if (!results_.throughput.empty()) {
            const auto& top = results_.throughput.back();
            const bool ok = top.tally.lost == 0 && top.tally.out_of_order == 0 && top.not_popped == 0 &&
                            top.tally.closed_by_server == 0;
            rows = 1;
            met = ok;
            table << "| " << fixed(top.offered_per_second, 0) << " | " << results_.throughput_clients << " | "
                  << top.tally.lost << " | " << top.tally.out_of_order << " | " << top.not_popped << " | "
                  << top.tally.closed_by_server << " | " << mark(ok) << " |\n";
        }
        add("No lost or reordered event at the highest rate", met, rows, table.str());
    }

    // The adapter's idle memory against its targets, the Node forwarder's measured the same way beside it.
    void memory_target() {
        const auto& memory = results_.footprint.adapter.memory;
        const auto& node = results_.footprint.node_forwarder;
        const auto node_cell = [&node](std::uint64_t kib) { return node.measured ? mib(kib) : "not measured"; };
        const bool rss_ok = memory.rss_kib <= 10 * 1024, private_ok = memory.private_kib <= 2 * 1024;
        std::ostringstream table;
        table << "| idle, no page | adapter | target | | node ws forwarder |\n|---|--:|--:|---|--:|\n"
              << "| RSS | " << mib(memory.rss_kib) << " | ≤ 10 MiB | " << mark(rss_ok) << " | "
              << node_cell(node.memory.rss_kib) << " |\n"
              << "| of which private (anonymous) | " << mib(memory.private_kib) << " | ≤ 2 MiB | " << mark(private_ok)
              << " | " << node_cell(node.memory.private_kib) << " |\n"
              << "| of which file pages (shared) | " << mib(memory.file_kib) << " | – | | "
              << node_cell(node.memory.file_kib) << " |\n";
        add("Idle RSS ≤ 10 MiB, its private memory ≤ 2 MiB", rss_ok + private_ok, 2, table.str());
    }

    void wakeup_target() {
        const auto& f = results_.footprint;
        const bool ok = f.adapter.wakeups == 0;
        std::ostringstream table;
        table << "| adapter | context switches over " << fixed(f.idle_seconds, 1)
              << " s, one page connected, no call | |\n|---|--:|---|\n"
              << "| all threads | " << f.adapter.wakeups << " | " << mark(ok) << " |\n";
        add("No idle wake-ups", ok, 1, table.str());
    }

    void startup_target() {
        const auto& startup = results_.footprint.startup_health;
        const bool ok = startup.p50_ms <= 50.0;
        std::ostringstream table;
        table << "| adapter | starts | median | max | |\n|---|--:|--:|--:|---|\n"
              << "| spawn to `GET /health` answered | " << startup.samples << " | " << fixed(startup.p50_ms, 1)
              << " ms | " << fixed(startup.max_ms, 1) << " ms | " << mark(ok) << " |\n";
        add("Start-up ≤ 50 ms (median, spawn to `/health` answered)", ok, 1, table.str());
    }

    const BenchResults& results_;
    std::ostringstream summary_;
    std::ostringstream tables_;
};

}  // namespace

std::string render_report(const BenchResults& results) {
    std::ostringstream out;
    render_header(out, results);
    out << TargetTables(results).render();
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
