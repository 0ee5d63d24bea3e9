// SIP over UDP: one socket, one message per datagram.
#pragma once

#include <array>

#include "sip/sip_transport.hpp"

namespace cti::sip {

class UdpTransport final : public SipTransport {
public:
    UdpTransport(const drivers::Strand& strand, Handlers handlers)
        : socket_(strand), handlers_(std::move(handlers)) {}

    void open(const boost::asio::ip::address& local, std::uint16_t local_port,
              const Endpoint& registrar, Opened opened) override;
    void close() override;
    bool is_open() const override { return socket_.is_open(); }
    void send(const std::string& text, const Endpoint& to) override;
    Endpoint local_endpoint() const override { return local_; }
    bool reliable() const override { return false; }
    std::string_view via_name() const override { return "UDP"; }

private:
    void receive();

    static constexpr std::size_t max_datagram = 65535;
    boost::asio::ip::udp::socket socket_;
    Handlers handlers_;
    Endpoint local_;
    Endpoint sender_;
    std::array<char, max_datagram> buffer_{};
};

}  // namespace cti::sip
