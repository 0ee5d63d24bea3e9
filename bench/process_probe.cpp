#include "process_probe.hpp"

#include <filesystem>
#include <fstream>
#include <string>

namespace cti::bench {
namespace {

// The value of a "Key:   123 kB" line of a /proc status or smaps_rollup file.
std::uint64_t status_value(const std::filesystem::path& file, const std::string& key) {
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line))
        if (line.starts_with(key + ":")) return std::stoull(line.substr(key.size() + 1));
    return 0;
}

}  // namespace

std::uint64_t resident_kib(pid_t pid) {
    return status_value("/proc/" + std::to_string(pid) + "/status", "VmRSS");
}

MemoryUse memory_use(pid_t pid) {
    const auto rollup = "/proc/" + std::to_string(pid) + "/smaps_rollup";
    MemoryUse use;
    use.rss_kib = status_value(rollup, "Rss");
    use.private_kib = status_value(rollup, "Anonymous");
    use.file_kib = use.rss_kib > use.private_kib ? use.rss_kib - use.private_kib : 0;
    return use;
}

std::uint64_t context_switches(pid_t pid) {
    std::uint64_t total = 0;
    std::error_code ec;
    for (const auto& task : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task", ec)) {
        const auto status = task.path() / "status";
        total += status_value(status, "voluntary_ctxt_switches") + status_value(status, "nonvoluntary_ctxt_switches");
    }
    return total;
}

}  // namespace cti::bench
