// `cti-adapter run | status | simulate | dial | doctor | --version | --help`.
#pragma once

#include <span>

#include "cti/driver_registry.hpp"

namespace cti {

// Exit codes, listed in --help and the README.
namespace exit_code {
inline constexpr int ok = 0;
inline constexpr int command_failed = 1;   // the adapter refused the command, or a runtime error
inline constexpr int usage = 2;            // bad arguments
inline constexpr int config = 3;           // the config file is invalid
inline constexpr int no_port = 4;          // run: no port of the list is free
inline constexpr int not_running = 5;      // status/simulate/dial: no adapter answered
inline constexpr int already_running = 6;  // run: an adapter already runs for this user
inline constexpr int doctor_failed = 7;    // doctor: at least one check failed
inline constexpr int call_failed = 8;      // dial: the call did not come about (the reason is printed)
}  // namespace exit_code

int run_command_line(int argc, char** argv, std::span<const DriverFactory> drivers);

}  // namespace cti
