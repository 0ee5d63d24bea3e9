// A program the benchmark starts (the adapter, the lower-bound server): its own process group,
// standard output read line by line, standard error to a file. Stopped (SIGTERM, then SIGKILL)
// and reaped when the object goes away, so no run leaves a process behind.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace cti::bench {

class SpawnedProcess {
public:
    SpawnedProcess(std::vector<std::string> args, const std::string& stderr_file);
    ~SpawnedProcess();
    SpawnedProcess(const SpawnedProcess&) = delete;
    SpawnedProcess& operator=(const SpawnedProcess&) = delete;

    pid_t pid() const { return pid_; }
    // The next line of standard output containing `text` (nullopt at EOF or timeout).
    std::optional<std::string> wait_for_line(const std::string& text, std::chrono::milliseconds timeout);
    // SIGTERM, wait up to `grace`, then SIGKILL; returns the exit status (128+N for a signal).
    int stop(std::chrono::milliseconds grace = std::chrono::seconds(5));

private:
    pid_t pid_ = -1;
    int out_fd_ = -1;
    std::string pending_;
    std::optional<int> exit_code_;
};

// Kills every process a SpawnedProcess started and has not reaped yet (for a benchmark that is
// interrupted: its destructors will not run).
void kill_all_spawned();

}  // namespace cti::bench
