// The call-log journal and the log hold full numbers, names and notes: they are the adapter's
// user's alone, and so is every folder the adapter makes. One implementation file per system.
#pragma once

#include <filesystem>
#include <span>

namespace cti::platform {

// From now on every file and folder this process creates is its user's only (umask 077 on
// POSIX). On Windows the per-user folders the adapter uses (%LOCALAPPDATA%) already give access
// to the user alone through the ACL their children inherit, so nothing changes there.
void create_files_private();

// Takes every permission of group and others away from each of `files` that exists, and from
// `folder` when it is this user's own and not one that others need to enter (a sticky folder
// such as /tmp, the home folder). Each change is logged with the mode it replaced; a failure is
// logged as a warning and the adapter runs on (the files stay as they were). Earlier versions
// made these files 0644 in 0755 folders: this is how they are tightened on start.
void make_private(std::span<const std::filesystem::path> files, const std::filesystem::path& folder);

}  // namespace cti::platform
