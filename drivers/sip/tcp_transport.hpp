// SIP over TCP: one connection from the driver to the registrar, used both ways (the PBX sends
// its requests back over it, RFC 3261 18.2.2 / RFC 5923 connection reuse). The byte stream is
// cut into messages by Content-Length; data that cannot be framed resets the connection.
#pragma once

#include <array>
#include <deque>

#include <boost/asio/ip/tcp.hpp>

#include "sip/sip_transport.hpp"
#include "sip/stream_framer.hpp"

namespace cti::sip {

class TcpTransport final : public SipTransport {
public:
    TcpTransport(const drivers::Strand& strand, Handlers handlers)
        : socket_(strand), handlers_(std::move(handlers)) {}

    void open(const boost::asio::ip::address& local, std::uint16_t local_port,
              const Endpoint& registrar, Opened opened) override;
    void close() override;
    bool is_open() const override { return connected_; }
    void send(const std::string& text, const Endpoint& to) override;
    Endpoint local_endpoint() const override { return local_; }
    bool reliable() const override { return true; }
    std::string_view via_name() const override { return "TCP"; }

private:
    void on_connected(boost::system::error_code error, const Opened& opened);
    void receive();
    void write_next();
    void fail(const std::string& reason);

    boost::asio::ip::tcp::socket socket_;
    Handlers handlers_;
    Endpoint local_;
    Endpoint registrar_;
    bool connected_ = false;
    unsigned generation_ = 0;  // handlers of a closed connection find a newer generation and stop
    StreamFramer framer_;
    std::deque<std::string> outgoing_;
    std::array<char, 16384> buffer_{};
};

}  // namespace cti::sip
