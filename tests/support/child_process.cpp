#include "support/child_process.hpp"

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <csignal>
#include <poll.h>
#include <spawn.h>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace cti::test {

ChildProcess::ChildProcess(std::vector<std::string> args, std::vector<std::string> extra_env) {
    int out_pipe[2], err_pipe[2];
    if (::pipe(out_pipe) != 0 || ::pipe(err_pipe) != 0) throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
    posix_spawn_file_actions_addclose(&actions, out_pipe[0]);
    posix_spawn_file_actions_addclose(&actions, err_pipe[0]);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);

    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    // getenv() takes the first of two equal names, so an override must replace the original.
    auto name_of = [](const std::string& entry) { return entry.substr(0, entry.find('=')); };
    std::vector<std::string> env_strings;
    for (char** e = environ; *e; ++e) {
        const std::string entry(*e);
        const bool overridden = std::any_of(extra_env.begin(), extra_env.end(),
                                            [&](const auto& extra) { return name_of(extra) == name_of(entry); });
        if (!overridden) env_strings.push_back(entry);
    }
    for (auto& e : extra_env) env_strings.push_back(e);
    std::vector<char*> envp;
    for (auto& e : env_strings) envp.push_back(e.data());
    envp.push_back(nullptr);

    // Its own process group, so signals reach the workers a program forks too (Kamailio has
    // several), and none is left behind when the test ends.
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attributes, 0);
    const int rc = ::posix_spawn(&pid_, argv[0], &actions, &attributes, argv.data(), envp.data());
    posix_spawnattr_destroy(&attributes);
    posix_spawn_file_actions_destroy(&actions);
    ::close(out_pipe[1]);
    ::close(err_pipe[1]);
    out_fd_ = out_pipe[0];
    err_fd_ = err_pipe[0];
    if (rc != 0) throw std::runtime_error("cannot start " + args[0]);
}

ChildProcess::~ChildProcess() {
    if (pid_ > 0) {
        ::kill(-pid_, SIGKILL);  // the whole group: forked workers as well
        if (!exit_code_) {
            int status = 0;
            ::waitpid(pid_, &status, 0);
        }
    }
    if (out_fd_ >= 0) ::close(out_fd_);
    if (err_fd_ >= 0) ::close(err_fd_);
}

bool ChildProcess::pump(std::chrono::milliseconds timeout) {
    if (!open_[0] && !open_[1]) return false;
    // poll() ignores negative descriptors: a pipe at EOF is not polled again.
    pollfd fds[2] = {{open_[0] ? out_fd_ : -1, POLLIN, 0}, {open_[1] ? err_fd_ : -1, POLLIN, 0}};
    if (::poll(fds, 2, static_cast<int>(timeout.count())) <= 0) return false;
    char buffer[4096];
    for (int i = 0; i < 2; ++i) {
        if (!fds[i].revents) continue;
        const auto n = ::read(fds[i].fd, buffer, sizeof buffer);
        if (n > 0)
            (i == 0 ? out_ : err_).append(buffer, static_cast<std::size_t>(n));
        else
            open_[i] = false;
    }
    return true;
}

std::optional<std::string> ChildProcess::wait_for_stdout_line(const std::string& text,
                                                              std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        for (auto end = out_.find('\n', out_scanned_); end != std::string::npos; end = out_.find('\n', out_scanned_)) {
            auto line = out_.substr(out_scanned_, end - out_scanned_);
            out_scanned_ = end + 1;
            if (line.find(text) != std::string::npos) return line;
        }
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0 || !pump(left)) return std::nullopt;
    }
}

void ChildProcess::signal(int number) {
    ::kill(-pid_, number);  // the process and whatever it forked
}

std::optional<int> ChildProcess::wait(std::chrono::milliseconds timeout) {
    if (exit_code_) return exit_code_;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    // Drain the output until both pipes close (the process has exited), then reap it.
    while (open_[0] || open_[1]) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0 || !pump(left)) return std::nullopt;
    }
    int status = 0;
    ::waitpid(pid_, &status, 0);
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return exit_code_;
}

RunResult run_adapter_command(std::vector<std::string> args, std::vector<std::string> extra_env) {
    args.insert(args.begin(), CTI_ADAPTER_EXE);
    ChildProcess child(std::move(args), std::move(extra_env));
    auto code = child.wait(std::chrono::seconds(20));
    if (!code) throw std::runtime_error("the command did not finish");
    return {*code, child.out(), child.err()};
}

}  // namespace cti::test
