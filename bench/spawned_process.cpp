#include "spawned_process.hpp"

#include <csignal>
#include <mutex>
#include <set>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace cti::bench {
namespace {

std::mutex running_mutex;
std::set<pid_t> running;  // process groups started and not yet reaped

void remember(pid_t pid, bool alive) {
    std::lock_guard lock(running_mutex);
    if (alive)
        running.insert(pid);
    else
        running.erase(pid);
}

int exit_code_of(int status) {
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

SpawnedProcess::SpawnedProcess(std::vector<std::string> args, const std::string& stderr_file) {
    int out_pipe[2];
    if (::pipe(out_pipe) != 0) throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
    posix_spawn_file_actions_addclose(&actions, out_pipe[0]);
    posix_spawn_file_actions_addclose(&actions, out_pipe[1]);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, stderr_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    // The benchmark blocks SIGINT and SIGTERM for its signal thread; the child must not inherit
    // that, or it would not stop when asked.
    sigset_t no_signals;
    sigemptyset(&no_signals);
    posix_spawnattr_setsigmask(&attributes, &no_signals);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK);
    posix_spawnattr_setpgroup(&attributes, 0);

    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    const int rc = ::posix_spawn(&pid_, argv[0], &actions, &attributes, argv.data(), environ);
    posix_spawnattr_destroy(&attributes);
    posix_spawn_file_actions_destroy(&actions);
    ::close(out_pipe[1]);
    out_fd_ = out_pipe[0];
    if (rc != 0) {
        ::close(out_fd_);
        pid_ = -1;
        throw std::runtime_error("cannot start " + args[0]);
    }
    remember(pid_, true);
}

void kill_all_spawned() {
    std::lock_guard lock(running_mutex);
    for (auto pid : running) ::kill(-pid, SIGKILL);
}

SpawnedProcess::~SpawnedProcess() {
    stop();
    if (out_fd_ >= 0) ::close(out_fd_);
}

std::optional<std::string> SpawnedProcess::wait_for_line(const std::string& text, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        for (auto end = pending_.find('\n'); end != std::string::npos; end = pending_.find('\n')) {
            auto line = pending_.substr(0, end);
            pending_.erase(0, end + 1);
            if (line.find(text) != std::string::npos) return line;
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return std::nullopt;
        pollfd poll_fd{out_fd_, POLLIN, 0};
        if (::poll(&poll_fd, 1, static_cast<int>(left.count())) <= 0) return std::nullopt;
        char chunk[4096];
        const auto got = ::read(out_fd_, chunk, sizeof chunk);
        if (got <= 0) return std::nullopt;
        pending_.append(chunk, static_cast<std::size_t>(got));
    }
}

int SpawnedProcess::stop(std::chrono::milliseconds grace) {
    if (exit_code_ || pid_ <= 0) return exit_code_.value_or(-1);
    ::kill(-pid_, SIGTERM);
    int status = 0;
    const auto deadline = std::chrono::steady_clock::now() + grace;
    // A short wait loop: this runs once per process at the end of a phase, never in a measurement.
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(-pid_, SIGKILL);
            ::waitpid(pid_, &status, 0);
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    exit_code_ = exit_code_of(status);
    remember(pid_, false);
    return *exit_code_;
}

}  // namespace cti::bench
