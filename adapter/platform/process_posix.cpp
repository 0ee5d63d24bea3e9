#include "platform/process.hpp"

#include <cerrno>
#include <csignal>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

namespace cti::platform {

std::int64_t current_process_id() { return ::getpid(); }

bool process_is_running(std::int64_t pid) {
    if (pid <= 0) return false;
    // Signal 0 checks existence only; EPERM means it exists but belongs to someone else.
    return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

bool process_of_current_user(std::int64_t pid) {
    // /proc/<pid> belongs to the process's real user (Linux); elsewhere it does not exist.
    struct stat info {};
    const auto path = "/proc/" + std::to_string(pid);
    return pid > 0 && ::stat(path.c_str(), &info) == 0 && info.st_uid == ::getuid();
}

std::uint32_t current_user_number() { return ::getuid(); }

}  // namespace cti::platform
