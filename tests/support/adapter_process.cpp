#include "support/adapter_process.hpp"

#include <csignal>
#include <fstream>

#include <catch2/catch.hpp>

#include "support/user_adapter.hpp"

namespace cti::test {

AdapterProcess::AdapterProcess(const std::filesystem::path& folder, nlohmann::json config) {
    if (!config.contains("call_log_file")) config["call_log_file"] = (folder / "calls.sqlite3").string();
    if (!config.contains("log_file")) config["log_file"] = (folder / "adapter.log").string();
    journal_file_ = config["call_log_file"].get<std::string>();
    log_file_ = config["log_file"].get<std::string>();
    const auto config_file = (folder / "config.json").string();
    std::ofstream(config_file) << config.dump(2);
    // Its stderr goes to a file: a pipe nobody reads while a test floods the adapter would fill
    // up and block its logging.
    process_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{"/bin/sh", "-c", R"(exec "$0" "$@" 2>"$CTI_STDERR_FILE")", CTI_ADAPTER_EXE, "run",
                                 "--config", config_file, "--port", "0"},
        std::vector<std::string>{"CTI_STDERR_FILE=" + (folder / "stderr.log").string()});
    const auto line = process_->wait_for_stdout_line("listening on");
    INFO("see " << (folder / "stderr.log").string());
    REQUIRE(line);
    port_ = port_of_listening_line(*line);
    REQUIRE(port_ != 0);
}

bool AdapterProcess::logged(const std::string& text) const {
    std::ifstream in(log_file_);
    for (std::string line; std::getline(in, line);)
        if (line.find(text) != std::string::npos) return true;
    return false;
}

AdapterProcess::~AdapterProcess() {
    if (running_) terminate();
}

void AdapterProcess::kill_now() {
    running_ = false;
    process_->signal(SIGKILL);
    REQUIRE(process_->wait() == 128 + SIGKILL);
}

int AdapterProcess::terminate() {
    request_stop();
    return wait_for_exit();
}

void AdapterProcess::request_stop() {
    running_ = false;
    process_->signal(SIGTERM);
}

int AdapterProcess::wait_for_exit() { return process_->wait().value_or(-1); }

}  // namespace cti::test
