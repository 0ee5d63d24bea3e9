#include "sip/tcp_transport.hpp"

#include <boost/asio/write.hpp>

namespace cti::sip {

namespace net = boost::asio;
using tcp = net::ip::tcp;

void TcpTransport::open(const net::ip::address& local, std::uint16_t local_port,
                        const Endpoint& registrar, Opened opened) {
    close();
    registrar_ = registrar;
    framer_ = StreamFramer();
    boost::system::error_code error;
    socket_.open(tcp::v4(), error);
    // A configured local_port must be usable again right after a reset (TIME_WAIT).
    if (!error) socket_.set_option(tcp::socket::reuse_address(true), error);
    if (!error) socket_.bind(tcp::endpoint(local, local_port), error);
    if (error) {
        close();
        return net::post(socket_.get_executor(), [hold = handlers_.owner.lock(), opened = std::move(opened), error] {
            opened("cannot open a TCP socket for SIP: " + error.message());
        });
    }
    socket_.async_connect(tcp::endpoint(registrar.address(), registrar.port()),
                          [this, generation = generation_, hold = handlers_.owner.lock(),
                           opened = std::move(opened)](boost::system::error_code failure) {
                              if (generation == generation_) on_connected(failure, opened);
                          });
}

void TcpTransport::on_connected(boost::system::error_code error, const Opened& opened) {
    if (error) {
        close();
        return opened("cannot connect to the registrar over TCP: " + error.message());
    }
    const auto bound = socket_.local_endpoint(error);
    local_ = Endpoint(bound.address(), bound.port());
    connected_ = true;
    receive();
    opened({});
}

void TcpTransport::close() {
    ++generation_;
    connected_ = false;
    outgoing_.clear();
    boost::system::error_code ignored;
    socket_.close(ignored);
}

void TcpTransport::send(const std::string& text, const Endpoint&) {
    if (!connected_) return;  // the loss was reported; the timers see the request go unanswered
    outgoing_.push_back(text);
    if (outgoing_.size() == 1) write_next();
}

void TcpTransport::write_next() {
    net::async_write(
        socket_, net::buffer(outgoing_.front()),
        [this, generation = generation_, hold = handlers_.owner.lock()](boost::system::error_code error,
                                                                        std::size_t) {
            if (generation != generation_) return;
            if (error)
                return fail("the TCP connection to the registrar failed: " + error.message());
            outgoing_.pop_front();
            if (!outgoing_.empty()) write_next();
        });
}

void TcpTransport::receive() {
    socket_.async_read_some(
        net::buffer(buffer_),
        [this, generation = generation_, hold = handlers_.owner.lock()](boost::system::error_code error,
                                                                        std::size_t size) {
            if (generation != generation_) return;
            if (error == net::error::eof) return fail("the registrar closed the TCP connection");
            if (error)
                return fail("the TCP connection to the registrar failed: " + error.message());
            framer_.append(std::string_view(buffer_.data(), size));
            while (auto message = framer_.next()) {
                handlers_.message(*message, registrar_);
                if (generation != generation_) return;  // the handler closed the connection
            }
            if (framer_.broken())
                return fail("malformed SIP on the TCP connection (" + framer_.error() +
                            "); connection reset");
            receive();
        });
}

void TcpTransport::fail(const std::string& reason) {
    close();
    handlers_.lost(reason);
}

}  // namespace cti::sip
