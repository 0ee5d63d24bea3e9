// cti_bench: screen-pop latency, command latency, throughput and footprint of the adapter,
// against a minimal WebSocket server as the lower bound and a minimal Node.js `ws` forwarder as
// a second peer. See docs/PERFORMANCE.md.
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <pthread.h>
#include <ctime>
#include <fstream>
#include <iostream>
#include <sys/resource.h>
#include <thread>
#include <unistd.h>

#include <CLI/CLI.hpp>

#include "bench_clock.hpp"
#include "bench_report.hpp"
#include "scenarios.hpp"
#include "soak.hpp"
#include "soak_report.hpp"
#include "spawned_process.hpp"

namespace {

using namespace cti::bench;

std::string first_line(const std::string& file) {
    std::ifstream in(file);
    std::string line;
    std::getline(in, line);
    return line;
}

std::string load_average() {
    const auto line = first_line("/proc/loadavg");
    std::size_t end = 0;
    for (int field = 0; field < 3 && end != std::string::npos; ++field) end = line.find(' ', end + 1);
    return line.substr(0, end);
}

std::string machine() {
    std::ifstream in("/proc/cpuinfo");
    std::string line, model = "unknown CPU";
    while (std::getline(in, line))
        if (line.starts_with("model name")) {
            model = line.substr(line.find(':') + 2);
            break;
        }
    return std::to_string(std::thread::hardware_concurrency()) + " × " + model;
}

std::string utc_now() {
    const auto now = std::time(nullptr);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S UTC", std::gmtime(&now));
    return text;
}

// 1,000 pages need 1,000 sockets here and as many in the server (which inherits the limit).
void raise_open_file_limit() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
}

// Ctrl+C or a test timeout must not leave an adapter or a lower-bound server behind: one thread
// takes the signal, kills what the benchmark started, and ends the run.
void stop_children_on_signal(std::filesystem::path work_folder) {
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // every thread started later inherits this
    std::thread([signals, work_folder = std::move(work_folder)] {
        int number = 0;
        sigwait(&signals, &number);
        kill_all_spawned();
        std::error_code ignored;
        std::filesystem::remove_all(work_folder, ignored);
        std::_Exit(128 + number);
    }).detach();
}

// The adapters the benchmark starts are its own: one adapter runs per user (a second one
// refuses to start), and the user's own config layer must not change what is measured.
void isolate_from_user_adapter(const std::filesystem::path& work_folder) {
    for (const char* variable : {"XDG_RUNTIME_DIR", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME"}) {
        const auto folder = work_folder / "home" / variable;
        std::filesystem::create_directories(folder);
        ::setenv(variable, folder.c_str(), 1);
    }
}

// The first `name` on PATH that can be run ("" when there is none).
std::string find_on_path(const std::string& name) {
    const char* path = std::getenv("PATH");
    std::string folders = path ? path : "";
    for (std::size_t start = 0; start <= folders.size();) {
        auto end = folders.find(':', start);
        if (end == std::string::npos) end = folders.size();
        const auto candidate = std::filesystem::path(folders.substr(start, end - start)) / name;
        if (end > start && ::access(candidate.c_str(), X_OK) == 0) return candidate.string();
        start = end + 1;
    }
    return {};
}

// What CTest counts as a skipped test (SKIP_RETURN_CODE in bench/CMakeLists.txt).
constexpr int skipped_exit_code = 77;

void progress(const std::string& what) { std::cerr << "[" << utc_now() << "] " << what << std::endl; }

void apply_size(BenchOptions& options, bool quick, bool tiny) {
    if (quick) {
        options.calls = 1000;
        options.max_pops_per_phase = 100000;
        options.commands = 1000;
        options.throughput_rates = {200, 500};
        options.throughput_seconds = 2;
        options.startup_runs = 5;
        options.idle_seconds = 2;
    }
    if (tiny) {  // correctness only: a few calls through every path
        options.calls = 20;
        options.client_counts = {1, 2};
        options.monitor_max_clients = 2;
        options.ring_only_max_clients = 2;
        options.commands = 20;
        options.throughput_clients = 2;
        options.throughput_rates = {200};
        options.throughput_seconds = 0.1;
        options.startup_runs = 2;
        options.idle_seconds = 0.5;
    }
}

// The Node forwarder needs Node.js and its `ws` package (`npm ci` in bench/node_forwarder, which
// bench/run.sh does); without them the benchmark runs without its second peer and says so.
// Returns what is missing ("" when the peer can run).
std::string find_node_forwarder(BenchOptions& options) {
    if (options.node_executable.empty()) options.node_executable = find_on_path("node");
    const auto folder = std::filesystem::path(options.node_forwarder_script).parent_path();
    std::string missing;
    if (options.node_executable.empty())
        missing = "no node on PATH";
    else if (!std::filesystem::exists(folder / "node_modules" / "ws" / "package.json"))
        missing = "no ws package in " + (folder / "node_modules").string() + " (npm ci there)";
    if (missing.empty()) return missing;
    progress("the Node ws forwarder is not measured: " + missing);
    options.node_forwarder_script.clear();
    return missing;
}

// Every phase, or with `node_only` the Node forwarder's screen pops and commands alone.
BenchResults run(const BenchOptions& options, bool node_only) {
    BenchResults results;
    if (!node_only) {
        progress("footprint: start-up, idle memory and wake-ups");
        results.footprint = measure_footprint(options);
    }
    for (auto clients : options.client_counts)
        for (auto source : {PopSource::lower_bound, PopSource::lower_bound_pair, PopSource::node_forwarder_pair,
                            PopSource::simulator, PopSource::sip_ring_only, PopSource::sip_monitor}) {
            if (source == PopSource::node_forwarder_pair && !node_forwarder_available(options)) continue;
            if (node_only && source != PopSource::node_forwarder_pair) continue;
            if (source == PopSource::sip_monitor && clients > options.monitor_max_clients) continue;
            if (source == PopSource::sip_ring_only && clients > options.ring_only_max_clients) continue;
            const auto calls = std::max<std::size_t>(1, std::min(options.calls, options.max_pops_per_phase / clients));
            results.pops.push_back(measure_pops(options, source, clients, calls));
            const auto& pop = results.pops.back();
            progress("screen pops: " + pop.source + ", " + std::to_string(clients) + " pages: p50 " +
                     std::to_string(pop.latency.p50_ms) + " ms, p99 " + std::to_string(pop.latency.p99_ms) +
                     " ms, " + std::to_string(pop.tally.lost) + " lost");
        }
    for (auto target : {CommandTarget::lower_bound, CommandTarget::node_forwarder, CommandTarget::adapter}) {
        if (target == CommandTarget::node_forwarder && !node_forwarder_available(options)) continue;
        if (node_only && target != CommandTarget::node_forwarder) continue;
        results.commands.push_back(measure_commands(options, target, options.commands));
        progress("commands: " + results.commands.back().target + ": p50 " +
                 std::to_string(results.commands.back().latency.p50_ms) + " ms");
    }
    results.throughput_clients = options.throughput_clients;
    if (node_only) return results;
    for (auto rate : options.throughput_rates) {
        results.throughput.push_back(measure_throughput(options, rate));
        const auto& top = results.throughput.back();
        progress("throughput: offered " + std::to_string(rate) + "/s, achieved " +
                 std::to_string(top.achieved_per_second) + "/s, " + std::to_string(top.tally.lost) + " lost");
    }
    return results;
}

// The soak instead of the benchmark's phases: one long run, its own report (docs/SOAK.md).
int soak(const BenchOptions& options, const SoakOptions& soak_options, BenchResults run_info, const std::string& output) {
    SoakResult result;
    try {
        progress("soak: " + std::to_string(soak_options.clients) + " pages, " +
                 std::to_string(soak_options.calls_per_second) + " calls/s for " +
                 std::to_string(soak_options.seconds) + " s");
        const auto started = now_ns();
        result = run_soak(options, soak_options);
        run_info.run_seconds = static_cast<double>(now_ns() - started) / 1e9;
        run_info.load_after = load_average();
    } catch (const std::exception& error) {
        std::cerr << "cti_bench: " << error.what() << std::endl;
        std::filesystem::remove_all(options.work_folder);
        return 2;
    }
    std::filesystem::remove_all(options.work_folder);
    const auto report = render_soak_report(run_info, result);
    std::cout << report;
    if (!output.empty()) write_report(output, report, {"soak", "bench/soak.sh"});
    if (!soak_clean(result)) {
        std::cerr << "cti_bench: the soak lost, reordered or never popped events, or the adapter logged errors" << std::endl;
        return 1;
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    BenchOptions options;
    options.adapter_executable = CTI_ADAPTER_EXE;
    options.lower_bound_executable = CTI_LOWER_BOUND_EXE;
    options.node_forwarder_script = CTI_NODE_FORWARDER_SCRIPT;
    std::string output, commit = "unknown", command = "cti_bench";
    bool quick = false, tiny = false, node_only = false;

    CLI::App app{"cti-adapter benchmark: screen-pop and command latency, throughput, footprint"};
    app.add_option("--adapter", options.adapter_executable, "the cti-adapter executable");
    app.add_option("--lower-bound", options.lower_bound_executable, "the lower_bound_server executable");
    app.add_option("--node", options.node_executable, "the Node.js that runs the second peer (default: node on PATH)");
    app.add_option("--node-forwarder", options.node_forwarder_script, "the second peer's script (bench/node_forwarder)")
        ->capture_default_str();
    app.add_option("--calls", options.calls, "calls per screen-pop phase")->capture_default_str();
    app.add_option("--clients", options.client_counts, "connected pages, one phase each")->delimiter(',')->capture_default_str();
    app.add_option("--commands", options.commands, "dial round trips")->capture_default_str();
    app.add_option("--rates", options.throughput_rates, "calls per second offered to the SIP driver")->delimiter(',')->capture_default_str();
    app.add_option("--rate-seconds", options.throughput_seconds, "seconds per offered rate")->capture_default_str();
    app.add_option("--throughput-clients", options.throughput_clients, "pages during the throughput phase")
        ->capture_default_str();
    app.add_option("--client-threads", options.client_threads, "threads the pages run on")->capture_default_str();
    app.add_option("--max-pops", options.max_pops_per_phase, "at most calls x pages per screen-pop phase")
        ->capture_default_str();
    app.add_option("--monitor-max-clients", options.monitor_max_clients,
                   "measure the SIP driver's monitor mode up to this many pages (0: not at all)")
        ->capture_default_str();
    app.add_option("--ring-only-max-clients", options.ring_only_max_clients,
                   "measure the SIP driver's ring-only mode up to this many pages (0: not at all)")
        ->capture_default_str();
    app.add_flag("--quick", quick, "fewer calls and shorter phases (a minute or so)");
    app.add_flag("--tiny", tiny, "a few calls through every path: checks delivery, not speed");
    app.add_flag("--node-only", node_only,
                 "only the Node ws forwarder's screen pops and commands, no report; exits 77 (skipped) "
                 "when Node.js or its ws package is missing");
    SoakOptions soak_options;
    double soak_seconds = 0;
    app.add_option("--soak-seconds", soak_seconds,
                   "instead of the phases: a soak of this many seconds through the SIP driver (docs/SOAK.md)");
    app.add_option("--soak-clients", soak_options.clients, "pages connected during the soak")->capture_default_str();
    app.add_option("--soak-rate", soak_options.calls_per_second, "calls per second during the soak")
        ->capture_default_str();
    app.add_option("--output", output, "Markdown file to write the report into (docs/PERFORMANCE.md)");
    app.add_option("--commit", commit, "the commit measured, for the report");
    app.add_option("--command", command, "the command line to show in the report");
    CLI11_PARSE(app, argc, argv);
    apply_size(options, quick, tiny);
    const auto node_missing = find_node_forwarder(options);
    if (node_only && !node_missing.empty()) {
        std::cout << "skipped: the Node.js ws forwarder cannot run: " << node_missing
                  << " (installer/dev.sh test installs Node.js and runs npm ci in bench/node_forwarder)" << std::endl;
        return skipped_exit_code;
    }

    raise_open_file_limit();
    std::string pattern = (std::filesystem::temp_directory_path() / "cti-bench-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) return 1;
    options.work_folder = pattern;
    isolate_from_user_adapter(options.work_folder);
    stop_children_on_signal(options.work_folder);

    BenchResults results;
    results.started_at = utc_now();
    results.load_before = load_average();
    results.machine = machine();
    results.commit = commit;
    results.command = command;
    if (soak_seconds > 0) {
        soak_options.seconds = soak_seconds;
        return soak(options, soak_options, results, output);
    }
    try {
        const auto started = now_ns();
        const auto measured = run(options, node_only);
        results.pops = measured.pops;
        results.commands = measured.commands;
        results.throughput = measured.throughput;
        results.throughput_clients = measured.throughput_clients;
        results.footprint = measured.footprint;
        results.run_seconds = static_cast<double>(now_ns() - started) / 1e9;
        results.load_after = load_average();
    } catch (const std::exception& error) {
        std::cerr << "cti_bench: " << error.what() << std::endl;
        std::filesystem::remove_all(options.work_folder);
        return 2;
    }
    std::filesystem::remove_all(options.work_folder);

    if (node_only) {  // a check, not a measurement: the phases' lines above are its account
        const bool delivered = every_event_delivered(results);
        std::cout << (delivered ? "the Node ws forwarder delivered every event in order"
                                : "the Node ws forwarder lost, reordered or never delivered events")
                  << std::endl;
        return delivered ? 0 : 1;
    }
    const auto report = render_report(results);
    std::cout << report;
    if (!output.empty()) write_report(output, report);
    if (!every_event_delivered(results)) {
        std::cerr << "cti_bench: events were lost, reordered or never popped (see the tables)" << std::endl;
        return 1;
    }
    return 0;
}
