#include "scenarios.hpp"

#include <atomic>
#include <functional>
#include <stdexcept>
#include <thread>

#include "adapter_instance.hpp"
#include "bench_clock.hpp"
#include "call_book.hpp"
#include "command_client.hpp"
#include "forwarder_instance.hpp"
#include "frame_fields.hpp"
#include "http_get.hpp"
#include "pbx_emulator.hpp"
#include "process_probe.hpp"

namespace cti::bench {
namespace {

constexpr auto pop_timeout = std::chrono::seconds(10);
constexpr auto connect_timeout = std::chrono::seconds(120);
constexpr const char* busy_number = "+15559999999";  // busy_numbers in the adapter's config

std::vector<std::string> lower_bound_command(const BenchOptions& options) { return {options.lower_bound_executable}; }

std::vector<std::string> node_forwarder_command(const BenchOptions& options) {
    return {options.node_executable, options.node_forwarder_script};
}

std::string peer_stderr(const BenchOptions& options, const char* name) {
    return (options.work_folder / (std::string(name) + ".err")).string();
}

std::filesystem::path run_folder(const BenchOptions& options) {
    static std::atomic<int> runs{0};
    return options.work_folder / ("run-" + std::to_string(++runs));
}

// How a phase drives the server under test.
struct CallControl {
    std::uint16_t port = 0;
    pid_t pid = 0;
    std::function<void(std::size_t)> ring;
    std::function<void(std::size_t)> end;
    std::function<std::uint64_t()> last_seq;
    bool ends_with_call_log = true;  // the adapter's calls do; the lower bound's have no end
};

// Calls one after the other: each one rings, pops at every page, and is ended, except the last,
// whose pop is the newest event: once every page has it, every page has all events before it.
// The next call rings once every page has the last one's call_log, so that each call finds the
// server idle, as the lower bound always is; the throughput phase measures calls that overlap.
PopResult run_pop_calls(const BenchOptions& options, CallBook& book, const CallControl& control) {
    PopResult result;
    result.clients = book.clients();
    result.calls = book.calls();
    ClientFleet fleet({control.port, page_origin, book.clients(), options.client_threads}, book);
    fleet.connect(connect_timeout);
    const auto started = now_ns();
    for (std::size_t call = 0; call < book.calls(); ++call) {
        control.ring(call);
        book.wait_popped(call, pop_timeout);  // a call that never pops is counted below
        if (call + 1 == book.calls()) break;
        control.end(call);
        if (control.ends_with_call_log) book.wait_logged(call, pop_timeout);
    }
    result.seconds = static_cast<double>(now_ns() - started) / 1e9;
    result.server_rss_kib = resident_kib(control.pid);
    result.tally = fleet.finish(control.last_seq());
    result.latency = summarize(book.latencies());
    result.first_event_latency = summarize(book.first_event_latencies());
    result.missing_pops = book.missing_pops();
    return result;
}

// The frames the lower bound forwards, shaped like the adapter's, encoded beforehand.
std::string lower_bound_party(std::size_t call) {
    return R"({"name":"Caller )" + std::to_string(call) + R"(","number":")" + caller_number(call) + R"("})";
}

std::string lower_bound_call_id(std::size_t call) { return "benchlb0-" + std::to_string(call + 1); }

std::string lower_bound_call(std::size_t call) {
    const auto agent = R"({"name":"Agent","number":"1001"})";
    return R"({"answered_at":null,"direction":"inbound","driver":"lower-bound","end_reason":null,)"
           R"("ended_at":null,"from":)" + lower_bound_party(call) + R"(,"id":")" + lower_bound_call_id(call) +
           R"(","started_at":"2026-11-21T09:14:03.127Z","state":"ringing","to":)" + agent + "}";
}

std::string lower_bound_ringing(std::size_t call, std::uint64_t seq) {
    return R"({"call":)" + lower_bound_call(call) + R"(,"epoch":"benchlb0benchlb0","name":"call.ringing","seq":)" +
           std::to_string(seq) + R"(,"type":"event","v":1})";
}

std::string lower_bound_pop(std::size_t call, std::uint64_t seq) {
    return R"({"call":)" + lower_bound_call(call) + R"(,"call_id":")" + lower_bound_call_id(call) +
           R"(","call_type":"inbound","called":{"name":"Agent","number":"1001"},"caller":)" + lower_bound_party(call) +
           R"(,"epoch":"benchlb0benchlb0","name":"screen_pop","seq":)" + std::to_string(seq) +
           R"(,"type":"event","v":1})";
}

// One trigger per call (the pop alone) or two (call.ringing, then the pop: `pair`), to the
// forwarding peer `command` starts.
PopResult pops_from_forwarder(const BenchOptions& options, CallBook& book, std::vector<std::string> command,
                              const std::string& stderr_file, bool pair) {
    ForwarderInstance server(std::move(command), stderr_file);
    const std::uint64_t frames_per_call = pair ? 2 : 1;
    CallControl control;
    control.port = server.port();
    control.pid = server.pid();
    control.ring = [&](std::size_t call) {
        const auto last = (call + 1) * frames_per_call;
        const auto ringing = pair ? lower_bound_ringing(call, last - 1) : std::string();
        const auto pop = lower_bound_pop(call, last);
        book.mark_sent(call);
        if (pair) server.trigger(ringing);
        server.trigger(pop);
    };
    control.end = [](std::size_t) {};
    control.ends_with_call_log = false;
    control.last_seq = [&] { return static_cast<std::uint64_t>(book.calls()) * frames_per_call; };
    return run_pop_calls(options, book, control);
}

PopResult pops_from_simulator(const BenchOptions& options, CallBook& book) {
    AdapterInstance adapter(options.adapter_executable, run_folder(options), {});
    // `cti-adapter simulate` does the same: a page of its own that sends the command.
    CommandClient injector(adapter.port(), page_origin);
    std::vector<std::string> call_ids(book.calls());
    CallControl control;
    control.port = adapter.port();
    control.pid = adapter.pid();
    control.ring = [&](std::size_t call) {
        const auto command = R"("type":"simulate","action":"incoming","from":")" + caller_number(call) +
                             R"(","name":"Caller )" + std::to_string(call) + "\"";
        book.mark_sent(call);
        const auto reply = injector.command(command);
        call_ids[call] = first_string_field(reply.frame, "call_id");
    };
    control.end = [&](std::size_t call) {
        injector.command(R"("type":"simulate","action":"remote_hangup","call_id":")" + call_ids[call] + "\"");
    };
    control.last_seq = [&] { return adapter.last_seq(); };
    return run_pop_calls(options, book, control);
}

PopResult pops_from_sip(const BenchOptions& options, CallBook& book, SipMode mode) {
    PbxEmulator pbx(mode, book);
    AdapterSetup setup;
    setup.driver = "sip";
    setup.registrar_port = pbx.port();
    setup.sip_mode = mode == SipMode::monitor ? "monitor" : "ring_only";
    AdapterInstance adapter(options.adapter_executable, run_folder(options), setup);
    if (!pbx.wait_ready(std::chrono::seconds(10))) throw std::runtime_error("the SIP driver did not register");
    CallControl control;
    control.port = adapter.port();
    control.pid = adapter.pid();
    control.ring = [&](std::size_t call) { pbx.ring(call); };
    control.end = [&](std::size_t call) { pbx.end(call); };
    control.last_seq = [&] { return adapter.last_seq(); };
    return run_pop_calls(options, book, control);
}

std::string source_name(PopSource source) {
    switch (source) {
        case PopSource::lower_bound: return lower_bound_name;
        case PopSource::lower_bound_pair: return lower_bound_pair_name;
        case PopSource::node_forwarder_pair: return node_forwarder_name;
        case PopSource::simulator: return "simulator";
        case PopSource::sip_ring_only: return "sip ring-only";
        case PopSource::sip_monitor: return "sip monitor";
    }
    return "?";
}

// A server `start` returns (an object with pid() and port()), left alone: its memory before any
// page connects, then its wake-ups over the idle window with one page connected and no call.
template <typename Start>
IdleServer idle_server(const BenchOptions& options, Start start) {
    const auto server = start();
    const auto pid = server->pid();
    const auto idle_window = std::chrono::milliseconds(static_cast<std::int64_t>(options.idle_seconds * 1000));
    // Measurement windows, not synchronisation: nothing is waited for here. The first half
    // second lets start-up's last work (a journal opened, a first log line flushed) finish.
    constexpr auto settle = std::chrono::milliseconds(500);
    IdleServer idle;
    idle.measured = true;
    std::this_thread::sleep_for(settle);
    idle.memory = memory_use(pid);
    CallBook book(1, 1);
    ClientFleet page({server->port(), page_origin, 1, 1}, book);
    page.connect(connect_timeout);
    std::this_thread::sleep_for(settle);
    const auto before = context_switches(pid);
    std::this_thread::sleep_for(idle_window);
    idle.wakeups = context_switches(pid) - before;
    idle.wakeups_per_second = static_cast<double>(idle.wakeups) / options.idle_seconds;
    return idle;
}

}  // namespace

bool node_forwarder_available(const BenchOptions& options) {
    return !options.node_executable.empty() && !options.node_forwarder_script.empty();
}

PopResult measure_pops(const BenchOptions& options, PopSource source, std::size_t clients, std::size_t calls) {
    CallBook book(calls, clients);
    PopResult result;
    switch (source) {
        case PopSource::lower_bound:
            result = pops_from_forwarder(options, book, lower_bound_command(options), peer_stderr(options, "lower-bound"), false);
            break;
        case PopSource::lower_bound_pair:
            result = pops_from_forwarder(options, book, lower_bound_command(options), peer_stderr(options, "lower-bound"), true);
            break;
        case PopSource::node_forwarder_pair:
            result = pops_from_forwarder(options, book, node_forwarder_command(options),
                                         peer_stderr(options, "node-forwarder"), true);
            break;
        case PopSource::simulator: result = pops_from_simulator(options, book); break;
        case PopSource::sip_ring_only: result = pops_from_sip(options, book, SipMode::ring_only); break;
        case PopSource::sip_monitor: result = pops_from_sip(options, book, SipMode::monitor); break;
    }
    result.source = source_name(source);
    return result;
}

CommandResult measure_commands(const BenchOptions& options, CommandTarget target, std::size_t commands) {
    std::unique_ptr<ForwarderInstance> peer;
    std::unique_ptr<AdapterInstance> adapter;
    if (target == CommandTarget::lower_bound)
        peer = std::make_unique<ForwarderInstance>(lower_bound_command(options), peer_stderr(options, "lower-bound"));
    else if (target == CommandTarget::node_forwarder)
        peer = std::make_unique<ForwarderInstance>(node_forwarder_command(options), peer_stderr(options, "node-forwarder"));
    else
        adapter = std::make_unique<AdapterInstance>(options.adapter_executable, run_folder(options), AdapterSetup{});
    CommandClient page(peer ? peer->port() : adapter->port(), page_origin);
    CommandResult result;
    result.target = target == CommandTarget::lower_bound      ? lower_bound_name
                    : target == CommandTarget::node_forwarder ? node_forwarder_command_name
                                                              : "adapter (simulator)";
    std::vector<std::int64_t> latencies;
    latencies.reserve(commands);
    const auto dial = R"("type":"dial","to":")" + std::string(busy_number) + "\"";
    for (std::size_t i = 0; i < commands; ++i) {
        const auto reply = page.command(dial);
        if (reply.frame.find(R"("ok":true)") == std::string::npos) ++result.failed;
        latencies.push_back(reply.received_ns - reply.sent_ns);
    }
    result.latency = summarize(std::move(latencies));
    return result;
}

ThroughputResult measure_throughput(const BenchOptions& options, double per_second) {
    ThroughputResult result;
    result.offered_per_second = per_second;
    result.calls = std::max<std::size_t>(1, static_cast<std::size_t>(per_second * options.throughput_seconds));
    CallBook book(result.calls + 1, options.throughput_clients);  // + the closing marker call
    PbxEmulator pbx(SipMode::ring_only, book);
    AdapterSetup setup;
    setup.driver = "sip";
    setup.registrar_port = pbx.port();
    AdapterInstance adapter(options.adapter_executable, run_folder(options), setup);
    if (!pbx.wait_ready(std::chrono::seconds(10))) throw std::runtime_error("the SIP driver did not register");
    ClientFleet fleet({adapter.port(), page_origin, book.clients(), options.client_threads}, book);
    fleet.connect(connect_timeout);

    pbx.ring_paced(result.calls, per_second);
    // While calls keep popping the adapter is only late, not losing them: the wait is for
    // progress, not for a fixed end.
    book.wait_many_popped(result.calls, pop_timeout);
    const auto elapsed_ns = book.last_arrival_ns() - book.first_sent_ns();
    result.achieved_per_second = elapsed_ns > 0 ? static_cast<double>(result.calls) * 1e9 / static_cast<double>(elapsed_ns) : 0;
    // Every call's end reached the driver before the marker rings, so its pop is the last event.
    pbx.wait_cancelled(result.calls, pop_timeout);
    pbx.ring(result.calls);
    book.wait_popped(result.calls, pop_timeout);
    result.tally = fleet.finish(adapter.last_seq());
    result.not_popped = book.missing_pops();
    result.latency = summarize(book.latencies());
    return result;
}

Footprint measure_footprint(const BenchOptions& options) {
    Footprint footprint;
    footprint.binary_bytes = std::filesystem::file_size(options.adapter_executable);
    std::vector<std::int64_t> listening, health;
    // Every start but an agent's very first finds its call-log journal already there: one start
    // creates it (not measured), the measured ones open it.
    const auto folder = run_folder(options);
    AdapterInstance(options.adapter_executable, folder, {});
    for (std::size_t run = 0; run < options.startup_runs; ++run) {
        AdapterInstance adapter(options.adapter_executable, folder, {});
        listening.push_back(adapter.listening_ns() - adapter.spawned_ns());
        if (!http_get(adapter.port(), "/health")) throw std::runtime_error("/health did not answer");
        health.push_back(now_ns() - adapter.spawned_ns());
    }
    footprint.startup_listening = summarize(std::move(listening));
    footprint.startup_health = summarize(std::move(health));

    footprint.idle_seconds = options.idle_seconds;
    footprint.adapter = idle_server(options, [&] {
        auto adapter = std::make_unique<AdapterInstance>(options.adapter_executable, run_folder(options), AdapterSetup{});
        if (!http_get(adapter->port(), "/health")) throw std::runtime_error("/health did not answer");
        return adapter;
    });
    footprint.lower_bound = idle_server(options, [&] {
        return std::make_unique<ForwarderInstance>(lower_bound_command(options), peer_stderr(options, "lower-bound"));
    });
    if (node_forwarder_available(options))
        footprint.node_forwarder = idle_server(options, [&] {
            return std::make_unique<ForwarderInstance>(node_forwarder_command(options), peer_stderr(options, "node-forwarder"));
        });
    return footprint;
}

}  // namespace cti::bench
