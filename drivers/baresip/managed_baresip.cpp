#include "baresip/managed_baresip.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include <boost/asio/read.hpp>

extern char** environ;

namespace cti::baresip {

namespace net = boost::asio;
namespace fs = std::filesystem;

std::string headless_config(const BaresipSettings& settings) {
    const auto sip = parse_host_port(settings.sip_listen);
    const std::string interface = sip ? sip->host : "127.0.0.1";
    // No stdio.so (stdin is not a terminal) and no sound card: aubridge without a source is a
    // silent player, ausine a test tone as the microphone. Media stays with the real phone
    // system's settings; this instance exists to be controlled.
    return "poll_method\t\tepoll\n"
           "sip_listen\t\t" + settings.sip_listen + "\n"
           "net_interface\t\t" + interface + "\n"
           "call_local_timeout\t120\n"
           "call_max_calls\t\t4\n"
           "audio_player\t\taubridge,nil\n"
           "audio_alert\t\taubridge,nil\n"
           "audio_source\t\tausine,440\n"
           "ausrc_srate\t\t48000\n"
           "ausrc_channels\t\t2\n"
           "audio_level\t\tno\n"
           "rtcp_mux\t\tno\n"
           "jitter_buffer_delay\t5-10\n"
           "rtp_stats\t\tno\n"
           "module_path\t\t/usr/lib/baresip/modules\n"
           "module\t\t\tg711.so\n"
           "module\t\t\tausine.so\n"
           "module\t\t\taubridge.so\n"
           "module_tmp\t\taccount.so\n"
           "module_app\t\tmenu.so\n"
           "module_app\t\tctrl_tcp.so\n"
           "ctrl_tcp_listen\t\t" + settings.ctrl.text() + "\n";
}

std::string accounts_file(const BaresipSettings& settings) {
    std::string account = settings.account;
    if (account.find("answermode=") == std::string::npos) account += ";answermode=manual";
    return account + "\n";
}

ManagedBaresip::ManagedBaresip(net::io_context& io, BaresipSettings settings)
    : io_(io), settings_(std::move(settings)) {}

ManagedBaresip::~ManagedBaresip() {
    stop();
    std::error_code ignored;
    if (own_dir_) fs::remove_all(dir_, ignored);
}

std::string ManagedBaresip::prepare_config_dir() {
    if (dir_.empty()) {
        if (!settings_.config_dir.empty()) {
            dir_ = settings_.config_dir;
            std::error_code ec;
            fs::create_directories(dir_, ec);
            if (ec) return "cannot create " + dir_ + ": " + ec.message();
        } else {
            std::string pattern = (fs::temp_directory_path() / "cti-baresip-XXXXXX").string();
            if (!::mkdtemp(pattern.data())) return std::string("cannot create a config directory: ") + std::strerror(errno);
            dir_ = pattern;
            own_dir_ = true;
        }
    }
    std::ofstream config(fs::path(dir_) / "config", std::ios::trunc);
    config << headless_config(settings_);
    std::ofstream accounts(fs::path(dir_) / "accounts", std::ios::trunc);
    accounts << accounts_file(settings_);
    if (!config || !accounts) return "cannot write the baresip config in " + dir_;
    return {};
}

std::string ManagedBaresip::start(Handlers handlers) {
    if (auto problem = prepare_config_dir(); !problem.empty()) return problem;
    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0) return std::string("pipe: ") + std::strerror(errno);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 1);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 2);
    // baresip must not inherit the adapter's sockets (it would keep its ports open).
    posix_spawn_file_actions_addclosefrom_np(&actions, 3);
    std::vector<std::string> args = {settings_.baresip_path, "-f", dir_};
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    const int rc = ::posix_spawnp(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(pipe_fds[1]);
    if (rc != 0) {
        ::close(pipe_fds[0]);
        pid_ = -1;
        return "cannot start " + settings_.baresip_path + ": " + std::strerror(rc);
    }
    handlers_ = std::move(handlers);
    ready_ = false;
    last_lines_.clear();
    partial_line_.clear();
    output_ = std::make_unique<net::posix::stream_descriptor>(io_, pipe_fds[0]);
    read_output();
    return {};
}

void ManagedBaresip::read_output() {
    output_->async_read_some(net::buffer(buffer_), [this](boost::system::error_code ec, std::size_t n) {
        if (ec == net::error::operation_aborted) return;
        if (ec) return reap("baresip exited");
        partial_line_.append(buffer_, n);
        for (auto end = partial_line_.find('\n'); end != std::string::npos; end = partial_line_.find('\n')) {
            check_line(partial_line_.substr(0, end));
            partial_line_.erase(0, end + 1);
        }
        // The menu's status line is rewritten with '\r' and no '\n': do not let it pile up.
        if (partial_line_.size() > 4096) partial_line_.clear();
        read_output();
    });
}

void ManagedBaresip::check_line(const std::string& line) {
    last_lines_ = line;
    if (!ready_ && line.find("baresip is ready.") != std::string::npos) {
        ready_ = true;
        if (handlers_.on_ready) handlers_.on_ready();
    }
}

void ManagedBaresip::reap(const std::string& why) {
    output_.reset();
    int status = 0;
    if (pid_ > 0) ::waitpid(pid_, &status, 0);
    pid_ = -1;
    auto on_exit = std::move(handlers_.on_exit);
    handlers_ = {};
    std::string detail = why;
    if (WIFEXITED(status)) detail += " with code " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) detail += " on signal " + std::to_string(WTERMSIG(status));
    if (!last_lines_.empty()) detail += " (last output: " + last_lines_.substr(0, 200) + ")";
    if (on_exit) on_exit(detail);
}

void ManagedBaresip::stop() {
    handlers_ = {};
    output_.reset();  // cancels the read; the handler sees operation_aborted
    if (pid_ <= 0) return;
    auto exited_within = [this](std::chrono::milliseconds limit) {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        int status = 0;
        while (std::chrono::steady_clock::now() < deadline) {
            if (::waitpid(pid_, &status, WNOHANG) == pid_) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return false;
    };
    // A first SIGTERM lets baresip hang up its calls; it then waits for pending transactions,
    // which a second SIGTERM cuts short.
    ::kill(pid_, SIGTERM);
    if (!exited_within(std::chrono::milliseconds(1500))) {
        ::kill(pid_, SIGTERM);
        if (!exited_within(std::chrono::milliseconds(1000))) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
    }
    pid_ = -1;
}

}  // namespace cti::baresip
