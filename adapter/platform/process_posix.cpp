#include "platform/process.hpp"

#include <cerrno>
#include <csignal>
#include <unistd.h>

namespace cti::platform {

std::int64_t current_process_id() { return ::getpid(); }

bool process_is_running(std::int64_t pid) {
    if (pid <= 0) return false;
    // Signal 0 checks existence only; EPERM means it exists but belongs to someone else.
    return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

std::uint32_t current_user_number() { return ::getuid(); }

}  // namespace cti::platform
