// Managed mode: the driver runs baresip itself, headless, with a config it generates.
//
// The config directory holds `config` and `accounts` (see headless_config()); baresip's
// output goes to a pipe that is read all the time (its menu writes a status line while a call
// is up, and a full pipe would block it). "baresip is ready." in that output means ctrl_tcp
// listens: the driver connects only then, because probing the port would take ctrl_tcp's one
// client slot.
#pragma once

#include <sys/types.h>

#include <functional>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>

#include "baresip/baresip_settings.hpp"

namespace cti::baresip {

// The text of baresip's `config` file for managed mode.
std::string headless_config(const BaresipSettings& settings);
// The text of its `accounts` file (answermode is forced to manual: the agent answers).
std::string accounts_file(const BaresipSettings& settings);

class ManagedBaresip {
public:
    struct Handlers {
        std::function<void()> on_ready;
        std::function<void(const std::string& why)> on_exit;  // also when it never got ready
    };

    ManagedBaresip(boost::asio::io_context& io, BaresipSettings settings);
    ~ManagedBaresip();  // stops baresip if it runs; removes a config dir it created
    ManagedBaresip(const ManagedBaresip&) = delete;
    ManagedBaresip& operator=(const ManagedBaresip&) = delete;

    // Writes the config and starts baresip; returns an error text, empty on success.
    std::string start(Handlers handlers);
    // SIGTERM, a second SIGTERM if it lingers (it waits for pending SIP transactions), then
    // SIGKILL. Blocks for at most about three seconds. No handler is called afterwards.
    void stop();
    bool running() const { return pid_ > 0; }

private:
    std::string prepare_config_dir();
    void read_output();
    void check_line(const std::string& line);
    void reap(const std::string& why);

    boost::asio::io_context& io_;
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
};

}  // namespace cti::baresip
