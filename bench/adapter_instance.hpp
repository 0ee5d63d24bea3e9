// One run of the real cti-adapter executable for a benchmark phase: a config file written for
// the phase (any free port, a journal and a log of its own in `folder`, which is kept so that a
// later run can start on the same journal), started, and stopped again when the object goes away.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "spawned_process.hpp"

namespace cti::bench {

// The origin the benchmark's pages use; the config allows exactly this one.
inline constexpr const char* page_origin = "https://crm.bench.example";

struct AdapterSetup {
    std::string driver = "simulator";
    std::uint16_t registrar_port = 0;  // sip: the emulated PBX
    std::string sip_mode = "ring_only";
    // Frames one page may have waiting (the adapter's default is 256). Every phase places
    // thousands of calls a second on one line, and the call_log events of the calls that end
    // during one slow disk sync reach the pages together when it commits: hundreds of frames
    // queued at once, for a page that reads perfectly well. An agent's line ends a call or two
    // at a time, so this only moves the limit out of the benchmark's way.
    std::size_t client_queue_limit = 8192;
    // The soak counts the warnings and errors of a long run: it logs only those.
    std::string log_level = "info";
};

class AdapterInstance {
public:
    AdapterInstance(const std::string& executable, const std::filesystem::path& folder, const AdapterSetup& setup);
    ~AdapterInstance();

    std::uint16_t port() const { return port_; }
    pid_t pid() const { return process_->pid(); }
    std::int64_t spawned_ns() const { return spawned_ns_; }
    std::int64_t listening_ns() const { return listening_ns_; }
    // The number of the last event the adapter sent (from /status).
    std::uint64_t last_seq() const;

private:
    std::filesystem::path folder_;
    std::unique_ptr<SpawnedProcess> process_;
    std::uint16_t port_ = 0;
    std::int64_t spawned_ns_ = 0;
    std::int64_t listening_ns_ = 0;
};

}  // namespace cti::bench
