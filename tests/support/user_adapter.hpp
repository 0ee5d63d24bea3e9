// `cti-adapter run` as a user would start it (no --port): in a UserHome, with the machine config
// given, so it checks for a running instance and publishes its discovery file.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "support/child_process.hpp"
#include "support/user_home.hpp"

namespace cti::test {

// The port of a "cti-adapter listening on http://127.0.0.1:PORT/" line; 0 when it is not one.
std::uint16_t port_of_listening_line(const std::string& line);

// A loopback port that is free now (the OS picked it, it was released).
std::uint16_t unused_loopback_port();

class UserAdapter {
public:
    // Starts `cti-adapter run ARGS` and waits for its listening line; the test fails without it.
    UserAdapter(const UserHome& home, std::vector<std::string> args);
    ~UserAdapter();  // SIGTERM, then waits

    ChildProcess& process() { return *process_; }
    std::uint16_t port() const { return port_; }
    // Stops it with SIGTERM; returns the exit code.
    int stop();

private:
    std::unique_ptr<ChildProcess> process_;
    std::uint16_t port_ = 0;
    bool stopped_ = false;
};

}  // namespace cti::test
