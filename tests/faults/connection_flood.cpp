#include "faults/connection_flood.hpp"

#include <array>
#include <cstdlib>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include <utility>
#include <boost/asio.hpp>

namespace cti::test {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;

enum class Outcome { connect_failed, upgraded, refused, other_answer, closed_unanswered, silent_cut };

int status_of(const std::string& head) {
    // "HTTP/1.1 101 Switching Protocols"
    const auto space = head.find(' ');
    if (head.rfind("HTTP/1.1 ", 0) != 0 || space == std::string::npos) return 0;
    return std::atoi(head.c_str() + space + 1);
}

}  // namespace

struct ConnectionFlood::Impl {
    // One connection of the flood; lives as long as its socket has a pending operation.
    struct Connection : std::enable_shared_from_this<Connection> {
        Impl& flood;
        tcp::socket socket;
        bool handshake;
        std::string received;
        std::array<char, 4096> buffer{};
        bool done = false;

        Connection(Impl& owner, bool sends_handshake) : flood(owner), socket(owner.io), handshake(sends_handshake) {}

        void start() {
            socket.async_connect({net::ip::address_v4::loopback(), flood.port},
                                 [self = shared_from_this()](boost::system::error_code ec) { self->on_connect(ec); });
        }
        void on_connect(boost::system::error_code ec) {
            if (ec) return finish(Outcome::connect_failed);
            if (!handshake) return read();
            auto request = std::make_shared<std::string>(flood.upgrade_request());
            net::async_write(socket, net::buffer(*request),
                             [self = shared_from_this(), request](boost::system::error_code, std::size_t) { self->read(); });
        }
        void read() {
            socket.async_read_some(net::buffer(buffer), [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
                self->on_read(ec, n);
            });
        }
        void on_read(boost::system::error_code ec, std::size_t n) {
            if (ec) return finish(handshake ? Outcome::closed_unanswered : Outcome::silent_cut);
            if (done) return read();  // an upgraded page's frames: read and dropped
            received.append(buffer.data(), n);
            if (received.find("\r\n") == std::string::npos) return read();
            const int status = status_of(received);
            // A silent connection answered 503 was cut too: the pool of connections that have
            // not sent a request (limits.max_unauthenticated) needed its place.
            if (!handshake) return finish(status == 503 ? Outcome::silent_cut : Outcome::other_answer);
            finish(status == 101 ? Outcome::upgraded : status == 503 || status == 429 ? Outcome::refused : Outcome::other_answer);
            if (status == 101) read();
        }
        void finish(Outcome outcome) {
            if (std::exchange(done, true)) return;
            flood.record(outcome, received);
        }
    };

    net::io_context io{1};
    std::uint16_t port;
    std::size_t total;
    std::vector<std::shared_ptr<Connection>> connections;
    std::thread thread;
    mutable std::mutex mutex;
    std::condition_variable changed;
    FloodTally tally;
    std::size_t outcomes = 0;

    Impl(std::uint16_t port_in, std::size_t count) : port(port_in), total(count) {}

    std::string upgrade_request() const {
        const auto host = "127.0.0.1:" + std::to_string(port);
        return "GET /ws HTTP/1.1\r\nHost: " + host + "\r\nOrigin: http://" + host +
               "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
               "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
    }

    void record(Outcome outcome, const std::string& received) {
        std::lock_guard lock(mutex);
        switch (outcome) {
            case Outcome::connect_failed: ++tally.connect_failed; break;
            case Outcome::upgraded: ++tally.upgraded; break;
            case Outcome::refused: ++tally.refused; break;
            case Outcome::other_answer:
                ++tally.other_answer;
                if (tally.first_other.empty()) tally.first_other = received.substr(0, received.find("\r\n"));
                break;
            case Outcome::closed_unanswered: ++tally.closed_unanswered; break;
            case Outcome::silent_cut: ++tally.silent_cut; break;
        }
        ++outcomes;
        changed.notify_all();
    }
};

ConnectionFlood::ConnectionFlood(std::uint16_t port, std::size_t connections)
    : impl_(std::make_unique<Impl>(port, connections)) {
    for (std::size_t i = 0; i < connections; ++i) {
        const bool handshake = i % 2 == 0;
        ++(handshake ? impl_->tally.handshakes : impl_->tally.silent);
        impl_->connections.push_back(std::make_shared<Impl::Connection>(*impl_, handshake));
        impl_->connections.back()->start();
    }
    impl_->thread = std::thread([this] { impl_->io.run(); });
}

ConnectionFlood::~ConnectionFlood() {
    net::post(impl_->io, [this] {
        for (auto& connection : impl_->connections) {
            boost::system::error_code ignored;
            connection->socket.close(ignored);
        }
        impl_->connections.clear();
    });
    impl_->thread.join();  // returns once the closed sockets' handlers have run
}

bool ConnectionFlood::finished() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->outcomes == impl_->total;
}

FloodTally ConnectionFlood::wait(std::chrono::milliseconds timeout) {
    std::unique_lock lock(impl_->mutex);
    impl_->changed.wait_for(lock, timeout, [this] { return impl_->outcomes == impl_->total; });
    return impl_->tally;
}

}  // namespace cti::test
