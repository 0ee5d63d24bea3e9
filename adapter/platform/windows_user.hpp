// Who a Windows process runs as, for both ends of the native messaging pipe
// (docs/BROWSER-EXTENSION.md): the adapter accepts only its own user's native hosts, and a host
// talks only to its own user's adapter. Windows only.
#pragma once

#include <string>

namespace cti::platform {

// This process's user as a SID string ("S-1-5-21-..."); throws std::runtime_error when Windows
// cannot say (then nobody can be told apart, and nothing may connect).
std::string current_user_sid();

// The SID string of the user process `pid` runs as; empty when it cannot be opened or read.
std::string process_user_sid(unsigned long pid);

// This user's adapter pipe, \\.\pipe\cti-adapter-native-<SID>: pipe names are one namespace for
// the whole machine (every session of a terminal server), so the user is part of the name.
std::wstring native_pipe_name();

// A security descriptor in SDDL that grants this user, and nobody else, full access: the pipe's
// DACL. Protected ("P"), so nothing is inherited from a default that lets others in.
std::wstring own_user_only_sddl();

}  // namespace cti::platform
