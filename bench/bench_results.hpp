// Everything one run of the benchmark measured, for the report.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "client_fleet.hpp"
#include "latency_summary.hpp"
#include "process_probe.hpp"

namespace cti::bench {

// The peers' names in the results, which the report looks them up by.
inline constexpr const char* lower_bound_name = "lower bound";
inline constexpr const char* lower_bound_pair_name = "lower bound, ringing + pop";
inline constexpr const char* node_forwarder_name = "node ws forwarder, ringing + pop";
inline constexpr const char* node_forwarder_command_name = "node ws forwarder";

// Screen pops: one server, one way of placing calls, a number of connected pages.
struct PopResult {
    std::string source;  // "lower bound", "node ws forwarder, ...", "simulator", "sip ring-only", "sip monitor"
    std::size_t clients = 0;
    std::size_t calls = 0;
    LatencySummary latency;              // to the screen_pop
    LatencySummary first_event_latency;  // to the call's first event (call.ringing)
    std::size_t missing_pops = 0;  // (call, page) pairs that never popped
    FleetTally tally;
    double seconds = 0;
    std::uint64_t server_rss_kib = 0;  // after the calls, with every page still connected
};

struct CommandResult {
    std::string target;  // "lower bound", "node ws forwarder" or "adapter (simulator)"
    LatencySummary latency;
    std::size_t failed = 0;
};

struct ThroughputResult {
    double offered_per_second = 0;
    std::size_t calls = 0;
    double achieved_per_second = 0;  // calls popped at every page / time from first INVITE
    std::size_t not_popped = 0;
    FleetTally tally;
    LatencySummary latency;
};

// One server left alone: started, no call, one page connected during the wake-up window.
struct IdleServer {
    bool measured = false;
    MemoryUse memory;            // before any page connected
    std::uint64_t wakeups = 0;   // context switches of all threads over the window, a page connected
    double wakeups_per_second = 0;
};

struct Footprint {
    std::uint64_t binary_bytes = 0;
    LatencySummary startup_listening;  // spawn -> "listening on" printed
    LatencySummary startup_health;     // spawn -> GET /health answered
    IdleServer adapter;
    IdleServer lower_bound;
    IdleServer node_forwarder;
    double idle_seconds = 0;
};

struct BenchResults {
    std::string started_at;  // UTC
    std::string load_before;
    std::string load_after;
    std::string machine;
    std::string commit;
    std::string command;
    double run_seconds = 0;
    std::vector<PopResult> pops;
    std::vector<CommandResult> commands;
    std::vector<ThroughputResult> throughput;
    std::size_t throughput_clients = 0;
    Footprint footprint;
};

}  // namespace cti::bench
