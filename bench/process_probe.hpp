// What /proc says about a running process: memory and how often its threads woke up.
#pragma once

#include <cstdint>
#include <sys/types.h>

namespace cti::bench {

// A process's resident memory split by what it costs the machine (/proc/PID/smaps_rollup), KiB.
struct MemoryUse {
    std::uint64_t rss_kib = 0;
    // Anonymous pages: heap, stacks, and the data pages the loader relocated (copies of their
    // own). No other process shares them: this is what the process itself adds to the machine.
    std::uint64_t private_kib = 0;
    // Pages of the program's and its shared libraries' files (RSS less the anonymous pages),
    // shared with every other process that maps the same files and given back under pressure.
    std::uint64_t file_kib = 0;
};

// Resident set size (VmRSS) in KiB; 0 when the process is gone.
std::uint64_t resident_kib(pid_t pid);
// All zero when the process is gone.
MemoryUse memory_use(pid_t pid);
// Context switches (voluntary and not) of all the process's threads so far: each wake-up of a
// sleeping thread is one voluntary switch when it sleeps again.
std::uint64_t context_switches(pid_t pid);

}  // namespace cti::bench
