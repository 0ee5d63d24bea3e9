// What /proc says about a running process: memory and how often its threads woke up.
#pragma once

#include <cstdint>
#include <sys/types.h>

namespace cti::bench {

// Resident set size (VmRSS) in KiB; 0 when the process is gone.
std::uint64_t resident_kib(pid_t pid);
// The part of it that is file pages (the program and its shared libraries, shared with every
// other process that maps them), in KiB.
std::uint64_t resident_file_kib(pid_t pid);
// Context switches (voluntary and not) of all the process's threads so far: each wake-up of a
// sleeping thread is one voluntary switch when it sleeps again.
std::uint64_t context_switches(pid_t pid);

}  // namespace cti::bench
