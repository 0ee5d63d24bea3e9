#include "forwarder_instance.hpp"

#include <sstream>
#include <stdexcept>

namespace cti::bench {

ForwarderInstance::ForwarderInstance(std::vector<std::string> command, const std::string& stderr_file) {
    const auto name = command.back();
    process_ = std::make_unique<SpawnedProcess>(std::move(command), stderr_file);
    const auto line = process_->wait_for_line("listening on", std::chrono::seconds(20));
    if (!line) throw std::runtime_error(name + " did not start; see " + stderr_file);
    std::istringstream words(line->substr(line->find(" on ") + 4));
    std::string trigger_word;
    unsigned port = 0, trigger_port = 0;
    words >> port >> trigger_word >> trigger_port;
    port_ = static_cast<std::uint16_t>(port);
    trigger_ = net::ip::udp::endpoint(net::ip::address_v4::loopback(), static_cast<std::uint16_t>(trigger_port));
    socket_.open(net::ip::udp::v4());
}

void ForwarderInstance::trigger(const std::string& frame) { socket_.send_to(net::buffer(frame), trigger_); }

}  // namespace cti::bench
