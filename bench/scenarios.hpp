// The benchmark's phases. Each starts the servers it needs and stops them before returning.
#pragma once

#include "bench_options.hpp"
#include "bench_results.hpp"

namespace cti::bench {

// lower_bound_pair: the lower bound sending what the adapter sends when a call rings, its
// call.ringing and then its screen_pop, as two messages (what part of the gap is the protocol's).
// node_forwarder_pair: the same two messages through bench/node_forwarder, the second peer.
enum class PopSource { lower_bound, lower_bound_pair, node_forwarder_pair, simulator, sip_ring_only, sip_monitor };

// The servers a page's commands can go to.
enum class CommandTarget { lower_bound, node_forwarder, adapter };

// Whether the options name a Node.js and the forwarder's script (see BenchOptions).
bool node_forwarder_available(const BenchOptions& options);

// `calls` calls, one after the other: ring, wait until every page has the screen pop, end it.
PopResult measure_pops(const BenchOptions& options, PopSource source, std::size_t clients, std::size_t calls);
// `dial` (to a number that is busy at once) round trips from one page; the lower bound and the
// Node forwarder answer any command with a canned result.
CommandResult measure_commands(const BenchOptions& options, CommandTarget target, std::size_t commands);
// Calls offered to the SIP driver (ring-only) at a fixed rate, each cancelled when it rings.
ThroughputResult measure_throughput(const BenchOptions& options, double per_second);
// Start-up of the adapter; memory and wake-ups of the adapter and both peers when idle.
Footprint measure_footprint(const BenchOptions& options);

}  // namespace cti::bench
