#include "sip/sip_transport.hpp"

#include "sip/tcp_transport.hpp"
#include "sip/udp_transport.hpp"

namespace cti::sip {

std::unique_ptr<SipTransport> SipTransport::create(bool tcp, boost::asio::io_context& io,
                                                   Handlers handlers) {
    if (tcp) return std::make_unique<TcpTransport>(io, std::move(handlers));
    return std::make_unique<UdpTransport>(io, std::move(handlers));
}

}  // namespace cti::sip
