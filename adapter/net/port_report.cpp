#include "net/port_report.hpp"

#include "logging/logging.hpp"

namespace cti {
namespace {

constexpr std::size_t max_command_line = 160;

}  // namespace

std::string describe_port_holder(const platform::PortHolder& holder) {
    // A process name and command line are outside text: printable() keeps them on one line.
    std::string text = "pid " + std::to_string(holder.pid);
    if (!holder.name.empty()) text += " '" + printable(holder.name) + "'";
    if (!holder.command_line.empty()) text += " (" + printable(holder.command_line, max_command_line) + ")";
    return text;
}

}  // namespace cti
