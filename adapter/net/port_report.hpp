// How a port's holder is told to people: in the log, the exit-4 message and `doctor`.
#pragma once

#include <string>

#include "platform/port_holder.hpp"

namespace cti {

// "pid 4242 'python3' (python3 -m http.server 11000)"; the command line is left out when it
// could not be read (another user's process).
std::string describe_port_holder(const platform::PortHolder& holder);

}  // namespace cti
