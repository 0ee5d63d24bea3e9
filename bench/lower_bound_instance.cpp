#include "lower_bound_instance.hpp"

#include <sstream>
#include <stdexcept>

namespace cti::bench {

LowerBoundInstance::LowerBoundInstance(const std::string& executable, const std::string& stderr_file)
    : process_(std::make_unique<SpawnedProcess>(std::vector<std::string>{executable}, stderr_file)) {
    const auto line = process_->wait_for_line("lower-bound listening on", std::chrono::seconds(20));
    if (!line) throw std::runtime_error("the lower-bound server did not start");
    std::istringstream words(line->substr(line->find(" on ") + 4));
    std::string trigger_word;
    unsigned port = 0, trigger_port = 0;
    words >> port >> trigger_word >> trigger_port;
    port_ = static_cast<std::uint16_t>(port);
    trigger_ = net::ip::udp::endpoint(net::ip::address_v4::loopback(), static_cast<std::uint16_t>(trigger_port));
    socket_.open(net::ip::udp::v4());
}

void LowerBoundInstance::trigger(const std::string& frame) { socket_.send_to(net::buffer(frame), trigger_); }

}  // namespace cti::bench
