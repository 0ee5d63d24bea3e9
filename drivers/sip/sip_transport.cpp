#include "sip/sip_transport.hpp"

#include "sip/tcp_transport.hpp"
#include "sip/udp_transport.hpp"

namespace cti::sip {

std::unique_ptr<SipTransport> SipTransport::create(bool tcp, const drivers::Strand& strand,
                                                   Handlers handlers) {
    if (tcp) return std::make_unique<TcpTransport>(strand, std::move(handlers));
    return std::make_unique<UdpTransport>(strand, std::move(handlers));
}

}  // namespace cti::sip
