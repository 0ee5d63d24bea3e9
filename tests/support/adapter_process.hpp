// The real cti-adapter executable for a fault test: `cti-adapter run` on a free loopback port
// with a config written into a folder that outlives the process, so a test can kill it (SIGKILL
// or SIGTERM) and start it again on the same call-log journal.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "support/child_process.hpp"

namespace cti::test {

class AdapterProcess {
public:
    // Writes `config` to FOLDER/config.json, with the call log and the log file in FOLDER unless
    // it names them, and starts the adapter on it; the test fails if it does not listen.
    AdapterProcess(const std::filesystem::path& folder, nlohmann::json config = nlohmann::json::object());
    ~AdapterProcess();  // SIGTERM if still running, then waits
    AdapterProcess(const AdapterProcess&) = delete;
    AdapterProcess& operator=(const AdapterProcess&) = delete;

    std::uint16_t port() const { return port_; }
    ChildProcess& process() { return *process_; }
    // The journal file the config names.
    const std::string& journal_file() const { return journal_file_; }
    // Whether the adapter's log file has a line containing `text` (it is flushed line by line).
    bool logged(const std::string& text) const;

    // SIGKILL: no handler runs, nothing is flushed that was not already on disk.
    void kill_now();
    // SIGTERM, then waits; returns the exit code (-1 if it did not exit within 10 s).
    int terminate();
    // SIGTERM, returning at once (the test watches the shutdown); then wait_for_exit().
    void request_stop();
    int wait_for_exit();

private:
    std::unique_ptr<ChildProcess> process_;
    std::string journal_file_;
    std::string log_file_;
    std::uint16_t port_ = 0;
    bool running_ = true;
};

}  // namespace cti::test
