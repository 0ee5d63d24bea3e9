#include "platform/private_files.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <cerrno>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

namespace cti::platform {
namespace {

namespace fs = std::filesystem;

constexpr mode_t group_and_others = S_IRWXG | S_IRWXO;

std::string octal(mode_t mode) {
    char text[8];
    std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
    return text;
}

// The home folder is for others to enter too (a web server's ~/public_html, a shared
// ~/Desktop): the adapter's files in it are tightened, the folder itself is the user's call.
bool is_home_folder(const fs::path& folder) {
    const char* home = std::getenv("HOME");
    std::error_code ec;
    return home && *home && fs::equivalent(folder, home, ec);
}

void tighten(const fs::path& path, const struct stat& facts) {
    const mode_t tightened = facts.st_mode & 07777 & ~group_and_others;
    if (::chmod(path.c_str(), tightened) != 0) {
        spdlog::warn("cannot make {} private (mode {}; it is {}): {}", path.string(), octal(tightened),
                     octal(facts.st_mode), std::strerror(errno));
        return;
    }
    spdlog::info("made {} private: mode {} (it was {}, readable by other users)", path.string(),
                 octal(tightened), octal(facts.st_mode));
}

}  // namespace

void create_files_private() { ::umask(group_and_others); }

void make_private(std::span<const fs::path> files, const fs::path& folder) {
    for (const auto& file : files) {
        struct stat facts {};
        // lstat: a symbolic link's own mode means nothing, and its target is not ours to change.
        if (::lstat(file.c_str(), &facts) == 0 && S_ISREG(facts.st_mode) && (facts.st_mode & group_and_others))
            tighten(file, facts);
    }
    struct stat facts {};
    if (folder.empty() || ::lstat(folder.c_str(), &facts) != 0 || !S_ISDIR(facts.st_mode)) return;
    const bool own = facts.st_uid == ::geteuid();
    const bool shared = (facts.st_mode & S_ISVTX) || is_home_folder(folder);
    if (own && !shared && (facts.st_mode & group_and_others)) tighten(folder, facts);
}

}  // namespace cti::platform
