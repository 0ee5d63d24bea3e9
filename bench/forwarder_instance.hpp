// A run of one of the forwarding peers the adapter is compared with (bench/lower_bound_server,
// bench/node_forwarder): started, triggered over UDP, stopped with the object. Both print
// "... listening on PORT trigger PORT" once they accept pages and trigger datagrams.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "beast.hpp"
#include "spawned_process.hpp"

namespace cti::bench {

class ForwarderInstance {
public:
    ForwarderInstance(std::vector<std::string> command, const std::string& stderr_file);

    std::uint16_t port() const { return port_; }
    pid_t pid() const { return process_->pid(); }
    // Sends `frame` to the server, which forwards it to every page.
    void trigger(const std::string& frame);

private:
    std::unique_ptr<SpawnedProcess> process_;
    std::uint16_t port_ = 0;
    net::io_context io_;
    net::ip::udp::socket socket_{io_};
    net::ip::udp::endpoint trigger_;
};

}  // namespace cti::bench
