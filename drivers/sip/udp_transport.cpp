#include "sip/udp_transport.hpp"

#include <boost/asio/post.hpp>

namespace cti::sip {

namespace net = boost::asio;

void UdpTransport::open(const net::ip::address& local, std::uint16_t local_port, const Endpoint&,
                        Opened opened) {
    boost::system::error_code error;
    socket_.open(net::ip::udp::v4(), error);
    if (!error) socket_.bind(Endpoint(local, local_port), error);
    if (!error) local_ = socket_.local_endpoint(error);
    if (error && socket_.is_open()) socket_.close();
    if (!error) receive();
    net::post(socket_.get_executor(), [hold = handlers_.owner.lock(), opened = std::move(opened), error] {
        opened(error ? "cannot open the SIP UDP port: " + error.message() : std::string());
    });
}

void UdpTransport::close() {
    boost::system::error_code ignored;
    socket_.close(ignored);
}

void UdpTransport::send(const std::string& text, const Endpoint& to) {
    boost::system::error_code ignored;  // a lost datagram is the retransmission timers' business
    socket_.send_to(net::buffer(text), to, 0, ignored);
}

void UdpTransport::receive() {
    socket_.async_receive_from(
        net::buffer(buffer_), sender_,
        [this, hold = handlers_.owner.lock()](boost::system::error_code error, std::size_t size) {
            if (error == net::error::operation_aborted || !socket_.is_open()) return;
            // Loopback ICMP errors surface here; they are not fatal.
            if (!error) handlers_.message(std::string_view(buffer_.data(), size), sender_);
            receive();
        });
}

}  // namespace cti::sip
