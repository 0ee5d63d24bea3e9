// What one run of the benchmark does (see `cti_bench --help`).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace cti::bench {

struct BenchOptions {
    std::string adapter_executable;
    std::string lower_bound_executable;
    // The second peer, bench/node_forwarder: `node` and its script; not measured when either
    // is empty (no Node.js, or `npm ci` not run in bench/node_forwarder).
    std::string node_executable;
    std::string node_forwarder_script;
    std::filesystem::path work_folder;  // configs, journals and logs of the runs; removed after

    std::size_t calls = 10000;                         // per screen-pop phase
    std::vector<std::size_t> client_counts{1, 100, 1000};
    // Caps calls x pages of one phase (the documented run: 10,000 calls with 1,000 pages, too;
    // --quick caps it, as every call is then 4,000 frames to write and read on the same cores).
    std::size_t max_pops_per_phase = 10000000;
    std::size_t commands = 10000;                      // dial round trips
    std::size_t throughput_clients = 10;
    std::vector<double> throughput_rates{100, 200, 500, 1000};  // calls per second
    double throughput_seconds = 3;                     // per rate
    std::size_t startup_runs = 10;
    double idle_seconds = 5;
    std::size_t client_threads = 2;
    std::size_t monitor_max_clients = 1;  // SIP monitor mode too, up to this many pages
    // SIP ring-only mode up to this many pages: past the driver, its fan-out is the simulator's.
    std::size_t ring_only_max_clients = 100;
};

}  // namespace cti::bench
