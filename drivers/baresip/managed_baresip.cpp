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

ManagedBaresip::ManagedBaresip(const drivers::Strand& strand, BaresipSettings settings)
    : strand_(strand), settings_(std::move(settings)), reap_timer_(strand), signal_timer_(strand) {}

ManagedBaresip::~ManagedBaresip() {
    // Only when the loop went away before baresip had exited: no handler is left to wait for
    // it, and it must not outlive the adapter.
    if (pid_ > 0) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
    }
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
    output_ = std::make_unique<net::posix::stream_descriptor>(strand_, pipe_fds[0]);
    read_output();
    return {};
}

void ManagedBaresip::read_output() {
    output_->async_read_some(net::buffer(buffer_), [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
        if (ec == net::error::operation_aborted || !self->output_) return;
        if (ec) return self->output_ended();
        self->partial_line_.append(self->buffer_, n);
        for (auto end = self->partial_line_.find('\n'); end != std::string::npos; end = self->partial_line_.find('\n')) {
            self->check_line(self->partial_line_.substr(0, end));
            self->partial_line_.erase(0, end + 1);
        }
        // The menu's status line is rewritten with '\r' and no '\n': do not let it pile up.
        if (self->partial_line_.size() > 4096) self->partial_line_.clear();
        self->read_output();
    });
}

void ManagedBaresip::check_line(const std::string& line) {
    last_lines_ = line;
    if (!ready_ && line.find("baresip is ready.") != std::string::npos) {
        ready_ = true;
        // A copy: the handler may stop this process, which lets go of the handlers.
        if (auto on_ready = handlers_.on_ready) on_ready();
    }
}

// The output closes as baresip exits; the kernel makes it a zombie a moment later.
void ManagedBaresip::output_ended() {
    output_.reset();
    try_reap();
}

void ManagedBaresip::try_reap() {
    if (pid_ <= 0) return;  // reaped already (the output's end and SIGKILL both come here)
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == 0) {
        reap_timer_.expires_after(std::chrono::milliseconds(5));
        reap_timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
            if (!ec) self->try_reap();
        });
        return;
    }
    exited(status);
}

void ManagedBaresip::exited(int status) {
    pid_ = -1;
    signal_timer_.cancel();
    reap_timer_.cancel();
    // After SIGKILL the output may still be open (a child of baresip holding the pipe): it
    // says nothing more that matters.
    output_.reset();
    if (auto stopped = std::exchange(stopped_, nullptr)) return stopped();
    auto on_exit = std::move(handlers_.on_exit);
    handlers_ = {};
    std::string detail = "baresip exited";
    if (WIFEXITED(status)) detail += " with code " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) detail += " on signal " + std::to_string(WTERMSIG(status));
    if (!last_lines_.empty()) detail += " (last output: " + last_lines_.substr(0, 200) + ")";
    if (on_exit) on_exit(detail);
}

void ManagedBaresip::stop(std::function<void()> stopped) {
    handlers_ = {};
    if (pid_ <= 0) {
        output_.reset();
        return stopped();
    }
    const bool signalled = static_cast<bool>(stopped_);
    stopped_ = std::move(stopped);
    if (signalled) return;  // already on its way out: only who hears of the end changes
    // A first SIGTERM lets baresip hang up its calls; it then waits for pending transactions,
    // which a second SIGTERM cuts short. The output is still read: its end says baresip is gone.
    ::kill(pid_, SIGTERM);
    escalate(SIGTERM, std::chrono::milliseconds(1500));
}

// If baresip is still there after `grace`, sends `signal`; after a second SIGTERM, SIGKILL.
void ManagedBaresip::escalate(int signal, std::chrono::milliseconds grace) {
    signal_timer_.expires_after(grace);
    signal_timer_.async_wait([self = shared_from_this(), signal](boost::system::error_code ec) {
        if (ec || self->pid_ <= 0) return;
        ::kill(self->pid_, signal);
        if (signal == SIGTERM) return self->escalate(SIGKILL, std::chrono::milliseconds(1000));
        // Killed: reaped as soon as the kernel has it, without waiting for the output's end,
        // which a child of baresip that still holds the pipe would put off for ever.
        self->try_reap();
    });
}

}  // namespace cti::baresip
