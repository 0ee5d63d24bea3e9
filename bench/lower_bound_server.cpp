// The lower bound the adapter is measured against: the least a WebSocket server can do to get
// a message to its pages. It accepts WebSockets on 127.0.0.1 (no checks), and whenever a
// trigger datagram arrives it sends the datagram's bytes, an already encoded frame, to every
// page as one shared buffer. No JSON, no call table, no log, no strands: one thread.
// Commands get one canned result, so command round trips can be compared too.
//
// Prints "lower-bound listening on PORT trigger PORT" and runs until SIGTERM or SIGINT.
#include <utility>  // before Asio: Boost 1.74's awaitable.hpp uses std::exchange (g++ 12)

#include <array>
#include <csignal>
#include <deque>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
using tcp = net::ip::tcp;
using udp = net::ip::udp;
using Frame = std::shared_ptr<const std::string>;

namespace {

const Frame snapshot_frame = std::make_shared<const std::string>(R"({"seq":0,"type":"snapshot","v":1})");
const Frame result_frame = std::make_shared<const std::string>(R"({"data":{},"id":"lb","ok":true,"type":"result","v":1})");

class ForwardingSession : public std::enable_shared_from_this<ForwardingSession> {
public:
    explicit ForwardingSession(tcp::socket socket) : ws_(std::move(socket)) {}

    void run(std::vector<std::weak_ptr<ForwardingSession>>& sessions) {
        beast::error_code ignored;
        ws_.next_layer().set_option(tcp::no_delay(true), ignored);
        ws_.text(true);
        ws_.async_accept([self = shared_from_this(), &sessions](beast::error_code ec) {
            if (ec) return;
            sessions.push_back(self);
            self->send(snapshot_frame);
            self->read();
        });
    }

    void send(Frame frame) {
        queue_.push_back(std::move(frame));
        if (queue_.size() == 1) write();
    }

private:
    void read() {
        ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec) return;
            self->buffer_.consume(self->buffer_.size());
            self->send(result_frame);
            self->read();
        });
    }

    void write() {
        ws_.async_write(net::buffer(*queue_.front()), [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec) return;
            self->queue_.pop_front();
            if (!self->queue_.empty()) self->write();
        });
    }

    websocket::stream<tcp::socket> ws_;
    beast::flat_buffer buffer_;
    std::deque<Frame> queue_;
};

struct Server {
    net::io_context io{1};
    tcp::acceptor acceptor{io, tcp::endpoint(net::ip::address_v4::loopback(), 0)};
    udp::socket trigger{io, udp::endpoint(net::ip::address_v4::loopback(), 0)};
    udp::endpoint sender;
    std::array<char, 65536> datagram{};
    std::vector<std::weak_ptr<ForwardingSession>> sessions;
    net::signal_set signals{io, SIGINT, SIGTERM};
};

void accept(Server& server) {
    server.acceptor.async_accept([&server](beast::error_code ec, tcp::socket socket) {
        if (ec) return;
        std::make_shared<ForwardingSession>(std::move(socket))->run(server.sessions);
        accept(server);
    });
}

void forward_triggers(Server& server) {
    server.trigger.async_receive_from(net::buffer(server.datagram), server.sender,
                                      [&server](beast::error_code ec, std::size_t size) {
        if (ec) return;
        const auto frame = std::make_shared<const std::string>(server.datagram.data(), size);
        for (const auto& weak : server.sessions)
            if (auto session = weak.lock()) session->send(frame);
        forward_triggers(server);
    });
}

}  // namespace

int main() {
    Server server;
    accept(server);
    forward_triggers(server);
    server.signals.async_wait([&server](beast::error_code, int) { server.io.stop(); });
    std::cout << "lower-bound listening on " << server.acceptor.local_endpoint().port() << " trigger "
              << server.trigger.local_endpoint().port() << std::endl;
    server.io.run();
    return 0;
}
