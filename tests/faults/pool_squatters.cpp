#include "faults/pool_squatters.hpp"

#include <array>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include <boost/asio.hpp>

namespace cti::test {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;

constexpr auto trickle_interval = std::chrono::milliseconds(100);  // one byte each time

}  // namespace

struct PoolSquatters::Impl {
    // One connection; reopened by itself whenever the adapter drops it.
    struct Squatter : std::enable_shared_from_this<Squatter> {
        Squatter(Impl& owner, bool trickles) : impl(owner), trickle(trickles), socket(owner.io), timer(owner.io) {}

        void open() {
            if (impl.stopping) return;
            ++generation;
            boost::system::error_code ignored;
            socket.close(ignored);
            timer.cancel();
            sent = 0;
            socket.async_connect({net::ip::address_v4::loopback(), impl.port},
                                 [self = shared_from_this(), g = generation](boost::system::error_code ec) {
                                     if (g != self->generation) return;
                                     if (ec) return self->dropped();
                                     self->read();
                                     if (self->trickle) return self->trickle_next();
                                     net::async_write(self->socket, net::buffer(self->impl.request),
                                                      [](boost::system::error_code, std::size_t) {});
                                 });
        }
        void trickle_next() {
            if (sent == impl.request.size()) return;
            timer.expires_after(trickle_interval);
            timer.async_wait([self = shared_from_this(), g = generation](boost::system::error_code ec) {
                if (ec || g != self->generation) return;
                net::async_write(self->socket, net::buffer(&self->impl.request[self->sent++], 1),
                                 [self, g](boost::system::error_code write_ec, std::size_t) {
                                     if (!write_ec && g == self->generation) self->trickle_next();
                                 });
            });
        }
        void read() {
            socket.async_read_some(net::buffer(chunk), [self = shared_from_this(), g = generation](
                                                           boost::system::error_code ec, std::size_t) {
                if (g != self->generation) return;
                // A trickling request answered (503) is dropped as surely as a closed one; an
                // upgraded WebSocket reads its hello and waits.
                if (ec || self->trickle) return self->dropped();
                self->read();
            });
        }
        void dropped() {
            impl.count_drop();
            open();
        }

        Impl& impl;
        bool trickle;
        tcp::socket socket;
        net::steady_timer timer;
        std::size_t sent = 0;
        std::uint64_t generation = 0;  // handlers of an earlier connection are ignored
        std::array<char, 4096> chunk{};
    };

    Impl(std::uint16_t port_in, const std::string& origin) : port(port_in), work(net::make_work_guard(io)) {
        const auto host = "127.0.0.1:" + std::to_string(port);
        request = "GET /ws HTTP/1.1\r\nHost: " + host + "\r\nOrigin: " + origin +
                  "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    }

    void count_drop() {
        {
            std::lock_guard lock(mutex);
            ++drops;
        }
        changed.notify_all();
    }

    net::io_context io;
    std::uint16_t port;
    std::string request;
    net::executor_work_guard<net::io_context::executor_type> work;
    std::vector<std::shared_ptr<Squatter>> squatters;
    bool stopping = false;  // on the io thread only
    std::mutex mutex;
    std::condition_variable changed;
    std::size_t drops = 0;
    std::thread thread;
};

PoolSquatters::PoolSquatters(std::uint16_t port, std::string origin, std::size_t connections)
    : impl_(std::make_unique<Impl>(port, origin)) {
    for (std::size_t i = 0; i < connections; ++i)
        impl_->squatters.push_back(std::make_shared<Impl::Squatter>(*impl_, i % 2 == 0));
    for (auto& squatter : impl_->squatters) net::post(impl_->io, [squatter] { squatter->open(); });
    impl_->thread = std::thread([this] { impl_->io.run(); });
}

PoolSquatters::~PoolSquatters() {
    net::post(impl_->io, [this] {
        impl_->stopping = true;
        for (auto& squatter : impl_->squatters) {
            boost::system::error_code ignored;
            squatter->socket.close(ignored);
            squatter->timer.cancel();
        }
        impl_->work.reset();
    });
    impl_->thread.join();
}

bool PoolSquatters::wait_for_drops(std::size_t drops, std::chrono::milliseconds timeout) {
    std::unique_lock lock(impl_->mutex);
    return impl_->changed.wait_for(lock, timeout, [&] { return impl_->drops >= drops; });
}

}  // namespace cti::test
