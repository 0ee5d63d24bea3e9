// The running process and its user: what the single-instance check and the per-user port scheme
// need to know. One implementation file per operating system.
#pragma once

#include <cstdint>

namespace cti::platform {

std::int64_t current_process_id();

// True when a process with this id exists (whoever owns it). A discovery file left by a crashed
// adapter names a pid that is gone; that file is stale.
bool process_is_running(std::int64_t pid);

// True when the process runs as this process's user (a second adapter of the same user, not
// another user's on a shared machine). False when it cannot be told.
bool process_of_current_user(std::int64_t pid);

// A number for the logged-in user that stays the same across logins and differs between the
// users of one machine: the uid on POSIX, the relative id (RID) of the user's SID on Windows.
std::uint32_t current_user_number();

}  // namespace cti::platform
