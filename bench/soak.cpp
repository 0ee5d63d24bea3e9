#include "soak.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "adapter_instance.hpp"
#include "bench_clock.hpp"
#include "call_book.hpp"
#include "pbx_emulator.hpp"
#include "process_probe.hpp"

namespace cti::bench {
namespace {

constexpr auto pop_timeout = std::chrono::seconds(10);
constexpr auto connect_timeout = std::chrono::seconds(120);
constexpr std::size_t excerpt_lines = 5;

double seconds_since(std::int64_t start_ns) { return static_cast<double>(now_ns() - start_ns) / 1e9; }

// Warnings and errors in the adapter's log files (the soak's adapter logs nothing else).
void count_log_problems(const std::filesystem::path& folder, SoakResult& result) {
    for (const auto& entry : std::filesystem::directory_iterator(folder)) {
        const auto name = entry.path().filename().string();
        if (!name.starts_with("adapter") || entry.path().extension() != ".log") continue;
        std::ifstream in(entry.path());
        for (std::string line; std::getline(in, line);) {
            const bool warning = line.find("[warning]") != std::string::npos;
            const bool error = line.find("[error]") != std::string::npos || line.find("[critical]") != std::string::npos;
            if (!warning && !error) continue;
            ++(error ? result.log_errors : result.log_warnings);
            if (result.log_excerpt.size() < excerpt_lines) result.log_excerpt.push_back(line);
        }
    }
}

// Reads the adapter's RSS every `sample_seconds` until every call was rung and cancelled, or the
// run is a minute over its time (a driver that stops answering must not hang the soak).
void sample_while_calls_run(const SoakOptions& soak, std::size_t calls, PbxEmulator& pbx, pid_t adapter,
                            std::int64_t started_ns, SoakResult& result) {
    const auto interval = std::chrono::milliseconds(static_cast<std::int64_t>(soak.sample_seconds * 1000));
    while (pbx.counters().cancelled < calls && seconds_since(started_ns) < soak.seconds + 60) {
        std::this_thread::sleep_for(interval);  // a sampling period, not a synchronisation
        result.rss.push_back({seconds_since(started_ns), resident_kib(adapter)});
    }
}

}  // namespace

SoakResult run_soak(const BenchOptions& options, const SoakOptions& soak) {
    SoakResult result;
    result.options = soak;
    result.calls = std::max<std::size_t>(1, static_cast<std::size_t>(soak.calls_per_second * soak.seconds));
    CallBook book(result.calls + 1, soak.clients);  // + the closing marker call
    PbxEmulator pbx(SipMode::ring_only, book);
    AdapterSetup setup;
    setup.driver = "sip";
    setup.registrar_port = pbx.port();
    setup.log_level = "warn";
    const auto folder = options.work_folder / "soak";
    AdapterInstance adapter(options.adapter_executable, folder, setup);
    if (!pbx.wait_ready(std::chrono::seconds(10))) throw std::runtime_error("the SIP driver did not register");
    ClientFleet fleet({adapter.port(), page_origin, soak.clients, options.client_threads}, book);
    fleet.connect(connect_timeout);

    const auto started_ns = now_ns();
    result.rss.push_back({0, resident_kib(adapter.pid())});
    pbx.ring_paced(result.calls, soak.calls_per_second);
    sample_while_calls_run(soak, result.calls, pbx, adapter.pid(), started_ns, result);
    // Every call's end reached the driver before the marker rings, so its pop is the last event.
    pbx.wait_cancelled(result.calls, pop_timeout);
    pbx.ring(result.calls);
    book.wait_popped(result.calls, pop_timeout);
    result.seconds = seconds_since(started_ns);
    result.rss.push_back({result.seconds, resident_kib(adapter.pid())});
    result.tally = fleet.finish(adapter.last_seq());
    result.not_popped = book.missing_pops();
    result.latency = summarize(book.latencies());
    count_log_problems(folder, result);
    return result;
}

bool soak_clean(const SoakResult& result) {
    return result.tally.lost == 0 && result.tally.out_of_order == 0 && result.tally.closed_by_server == 0 &&
           result.not_popped == 0 && result.log_errors == 0;
}

}  // namespace cti::bench
