// Linux: the listening socket's inode from /proc/net/tcp{,6}, then the process whose
// /proc/<pid>/fd links to "socket:[inode]".
#include "platform/port_holder.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>

namespace cti::platform {
namespace {

namespace fs = std::filesystem;

constexpr const char* tcp_listen_state = "0A";

// Inodes of sockets listening on `port` (any local address) in one /proc/net table.
void collect_listening_inodes(const char* table, std::uint16_t port, std::set<std::string>& inodes) {
    std::ifstream in(table);
    std::string line;
    std::getline(in, line);  // the header
    while (std::getline(in, line)) {
        // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
        std::istringstream fields(line);
        std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
        if (!(fields >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >>
              timeout >> inode))
            continue;
        const auto colon = local.rfind(':');
        if (state != tcp_listen_state || colon == std::string::npos || inode == "0") continue;
        if (std::stoul(local.substr(colon + 1), nullptr, 16) == port) inodes.insert(inode);
    }
}

std::string read_first_line(const fs::path& file) {
    std::ifstream in(file);
    std::string line;
    std::getline(in, line);
    return line;
}

// /proc/<pid>/cmdline separates arguments with NULs.
std::string read_command_line(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    while (!text.empty() && text.back() == '\0') text.pop_back();
    for (auto& c : text)
        if (c == '\0') c = ' ';
    return text;
}

bool holds_socket(const fs::path& process, const std::set<std::string>& targets) {
    std::error_code ec;
    for (fs::directory_iterator fd(process / "fd", ec), end; !ec && fd != end; fd.increment(ec)) {
        std::error_code link_ec;
        const auto target = fs::read_symlink(fd->path(), link_ec).string();
        if (!link_ec && targets.count(target)) return true;
    }
    return false;
}

std::optional<std::int64_t> pid_of(const fs::path& entry) {
    const auto name = entry.filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    return std::stoll(name);
}

}  // namespace

std::optional<PortHolder> find_port_holder(std::uint16_t port) {
    std::set<std::string> inodes;
    collect_listening_inodes("/proc/net/tcp", port, inodes);
    collect_listening_inodes("/proc/net/tcp6", port, inodes);
    if (inodes.empty()) return std::nullopt;
    std::set<std::string> targets;
    for (const auto& inode : inodes) targets.insert("socket:[" + inode + "]");
    std::error_code ec;
    for (fs::directory_iterator entry("/proc", ec), end; !ec && entry != end; entry.increment(ec)) {
        const auto pid = pid_of(entry->path());
        if (!pid || !holds_socket(entry->path(), targets)) continue;
        return PortHolder{*pid, read_first_line(entry->path() / "comm"),
                          read_command_line(entry->path() / "cmdline")};
    }
    return std::nullopt;  // another user's process: its fd folder is not ours to read
}

}  // namespace cti::platform
