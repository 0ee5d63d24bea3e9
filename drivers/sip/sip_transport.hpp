// How SIP messages travel between the driver and the PBX: UDP datagrams, or one TCP connection
// to the registrar framed by Content-Length (RFC 3261 18). The driver sees whole messages and
// never the socket, so the rest of the user agent is the same for both.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <boost/asio/ip/udp.hpp>

#include "strand_entry.hpp"

namespace cti::sip {

// An address and port, for either transport.
using Endpoint = boost::asio::ip::udp::endpoint;

class SipTransport {
public:
    struct Handlers {
        // One whole message and where it came from (over TCP: the registrar).
        std::function<void(std::string_view message, const Endpoint& source)> message;
        // TCP only: the connection closed, failed or carried data that cannot be framed (it was
        // reset). The reason says which; open() may be called again.
        std::function<void(const std::string& reason)> lost;
        // What the handlers touch: every operation holds it until its handler has run, so a
        // handler that completes after the driver went away still finds it.
        std::weak_ptr<void> owner;
    };
    using Opened = std::function<void(const std::string& error)>;  // "" on success

    virtual ~SipTransport() = default;

    // Binds `local` (port 0: any free port) and, over TCP, connects to the registrar; calls
    // `opened` once, on the driver's strand.
    virtual void open(const boost::asio::ip::address& local, std::uint16_t local_port,
                      const Endpoint& registrar, Opened opened) = 0;
    virtual void close() = 0;
    virtual bool is_open() const = 0;
    // UDP: a datagram to `to`; TCP: the message on the connection (`to` is the registrar).
    virtual void send(const std::string& text, const Endpoint& to) = 0;
    virtual Endpoint local_endpoint() const = 0;
    // Whether the transport itself delivers reliably (TCP): then requests are not retransmitted.
    virtual bool reliable() const = 0;
    virtual std::string_view via_name() const = 0;  // "UDP" or "TCP"

    // Its sockets and handlers run on `strand`, the driver's.
    static std::unique_ptr<SipTransport> create(bool tcp, const drivers::Strand& strand,
                                                Handlers handlers);
};

}  // namespace cti::sip
