// Runs the real cti-adapter executable for a test: arguments, captured output, exit code.
// A process still running when the object goes away is killed and reaped.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace cti::test {

class ChildProcess {
public:
    // `extra_env` ("NAME=value") adds to the test's environment, replacing a variable of the same name.
    explicit ChildProcess(std::vector<std::string> args, std::vector<std::string> extra_env = {});
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    // Reads stdout until a line contains `text`; returns that line (nullopt at EOF or timeout).
    std::optional<std::string> wait_for_stdout_line(const std::string& text,
                                                    std::chrono::milliseconds timeout = std::chrono::seconds(10));
    // Signals the process and its whole process group (it is spawned as a group leader).
    void signal(int number);
    // Waits for exit; returns the exit code (128+N for a signal), nullopt on timeout.
    std::optional<int> wait(std::chrono::milliseconds timeout = std::chrono::seconds(10));

    pid_t pid() const { return pid_; }
    const std::string& out() const { return out_; }
    const std::string& err() const { return err_; }

private:
    bool pump(std::chrono::milliseconds timeout);  // reads what is available; false at EOF/timeout

    pid_t pid_ = -1;
    int out_fd_ = -1;
    int err_fd_ = -1;
    std::string out_;
    std::string err_;
    std::size_t out_scanned_ = 0;
    std::optional<int> exit_code_;
    bool open_[2] = {true, true};  // stdout, stderr pipes not yet at EOF
};

struct RunResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};

// Runs the executable to completion.
RunResult run_adapter_command(std::vector<std::string> args, std::vector<std::string> extra_env = {});

}  // namespace cti::test
