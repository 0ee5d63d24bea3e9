#include "adapter_instance.hpp"

#include <fstream>
#include <stdexcept>

#include "bench_clock.hpp"
#include "frame_fields.hpp"
#include "http_get.hpp"

namespace cti::bench {
namespace {

std::string config_text(const std::filesystem::path& folder, const AdapterSetup& setup) {
    std::string text = "{\n";
    text += R"(  "port": 0, "allowed_origins": [")" + std::string(page_origin) + "\"],\n";
    text += R"(  "driver": ")" + setup.driver + "\",\n";
    text += R"(  "log_file": ")" + (folder / "adapter.log").string() + "\",\n";
    text += R"(  "log_level": ")" + setup.log_level + "\",\n";
    text += R"(  "call_log_file": ")" + (folder / "call-log.sqlite3").string() + "\",\n";
    // A thousand pages connect at once and one page dials thousands of times: the benchmark
    // measures the adapter, not its protection against pages that misbehave. On a busy machine
    // more than the default 16 of those pages can still be sending their upgrade request, and the
    // pool of connections not known yet would turn the oldest away (limits.max_unauthenticated).
    text += R"(  "limits": {"client_queue_limit": )" + std::to_string(setup.client_queue_limit) +
            R"(, "max_connections": 100000, "max_unauthenticated": 100000, "handshakes_per_second": 0,)"
            R"( "commands_per_minute": 0, "dials_per_minute": 0},)" "\n";
    // No wrap-up timer between calls; busy numbers end a dialled call at once.
    text += R"(  "agent": {"wrap_up_seconds": 0},)" "\n";
    // The benchmark measures event fan-out and command latency after connecting; pairing is a
    // one-time step per page that it does not measure (tests/integration/pairing_test.cpp does).
    text += R"(  "pairing": {"required": false, "file": ")" + (folder / "pairings.json").string() + "\"},\n";
    text += R"(  "simulator": {"answer_after_ms": 0, "ring_timeout_ms": 0, "busy_numbers": ["+15559999999"]})";
    if (setup.driver == "sip")
        text += ",\n" R"(  "sip": {"registrar": "127.0.0.1:)" + std::to_string(setup.registrar_port) +
                R"(", "user": "1001", "display_name": "Agent", "mode": ")" + setup.sip_mode + "\"}";
    return text + "\n}\n";
}

std::uint16_t port_of_listening_line(const std::string& line) {
    const auto colon = line.rfind(':');
    if (colon == std::string::npos) throw std::runtime_error("unexpected line: " + line);
    return static_cast<std::uint16_t>(std::stoul(line.substr(colon + 1)));
}

}  // namespace

AdapterInstance::AdapterInstance(const std::string& executable, const std::filesystem::path& folder,
                                 const AdapterSetup& setup)
    : folder_(folder) {
    std::filesystem::create_directories(folder_);
    const auto config = folder_ / "config.json";
    std::ofstream(config) << config_text(folder_, setup);
    spawned_ns_ = now_ns();
    process_ = std::make_unique<SpawnedProcess>(
        std::vector<std::string>{executable, "run", "--config", config.string()}, (folder_ / "stderr.log").string());
    const auto line = process_->wait_for_line("listening on", std::chrono::seconds(20));
    listening_ns_ = now_ns();
    if (!line) throw std::runtime_error("the adapter did not start; see " + (folder_ / "stderr.log").string());
    port_ = port_of_listening_line(*line);
}

AdapterInstance::~AdapterInstance() = default;  // stops and reaps the process

std::uint64_t AdapterInstance::last_seq() const {
    const auto status = http_get(port_, "/status");
    if (!status) throw std::runtime_error("the adapter does not answer /status");
    const auto at = status->find(R"("last_seq":)");
    if (at == std::string::npos) throw std::runtime_error("no last_seq in /status");
    return std::stoull(status->substr(at + 11));
}

}  // namespace cti::bench
