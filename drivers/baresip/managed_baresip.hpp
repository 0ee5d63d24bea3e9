// Managed mode: the driver runs baresip itself, headless, with a config it generates.
//
// The config directory holds `config` and `accounts` (see headless_config()); baresip's
// output goes to a pipe that is read all the time (its menu writes a status line while a call
// is up, and a full pipe would block it). "baresip is ready." in that output means ctrl_tcp
// listens: the driver connects only then, because probing the port would take ctrl_tcp's one
// client slot.
//
// It lives on the driver's strand of the adapter's loop and never blocks it: the end of the
// output (EOF) says baresip is exiting, and it is then reaped without waiting (WNOHANG, tried
// again on a short timer until the kernel has it). Every handler holds the object.
#pragma once

#include <sys/types.h>

#include <functional>
#include <memory>
#include <string>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "baresip/baresip_settings.hpp"
#include "strand_entry.hpp"

namespace cti::baresip {

// The text of baresip's `config` file for managed mode.
std::string headless_config(const BaresipSettings& settings);
// The text of its `accounts` file (answermode is forced to manual: the agent answers).
std::string accounts_file(const BaresipSettings& settings);

class ManagedBaresip : public std::enable_shared_from_this<ManagedBaresip> {
public:
    struct Handlers {
        std::function<void()> on_ready;
        std::function<void(const std::string& why)> on_exit;  // also when it never got ready
    };

    ManagedBaresip(const drivers::Strand& strand, BaresipSettings settings);
    // Kills baresip if it still runs (the loop is gone before it exited); removes a config dir
    // it created.
    ~ManagedBaresip();
    ManagedBaresip(const ManagedBaresip&) = delete;
    ManagedBaresip& operator=(const ManagedBaresip&) = delete;

    // Writes the config and starts baresip; returns an error text, empty on success.
    std::string start(Handlers handlers);
    // SIGTERM, a second SIGTERM if it lingers (it waits for pending SIP transactions), then
    // SIGKILL; `stopped` runs on the strand once baresip is gone, within about three seconds
    // (at once when it does not run). No handler of start() is called afterwards.
    void stop(std::function<void()> stopped);
    bool running() const { return pid_ > 0; }

private:
    std::string prepare_config_dir();
    void read_output();
    void check_line(const std::string& line);
    void output_ended();
    void try_reap();
    void exited(int status);
    void escalate(int signal, std::chrono::milliseconds grace);

    drivers::Strand strand_;
    BaresipSettings settings_;
    std::string dir_;
    bool own_dir_ = false;
    pid_t pid_ = -1;
    std::unique_ptr<boost::asio::posix::stream_descriptor> output_;
    char buffer_[4096];
    std::string partial_line_;
    std::string last_lines_;  // for the status detail when it dies
    bool ready_ = false;
    Handlers handlers_;
    std::function<void()> stopped_;  // stop() was called: what to run once baresip is gone
    boost::asio::steady_timer reap_timer_;    // WNOHANG again, between EOF and the zombie
    boost::asio::steady_timer signal_timer_;  // the next, harder signal while stopping
};

}  // namespace cti::baresip
