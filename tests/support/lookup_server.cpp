#include "support/lookup_server.hpp"

#include <list>
#include <mutex>
#include <thread>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace cti::test {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

struct LookupServer::Impl {
    explicit Impl(Handler handler_in) : handler(std::move(handler_in)) {
        acceptor.open(tcp::v4());
        acceptor.bind({net::ip::make_address("127.0.0.1"), 0});
        acceptor.listen();
        port = acceptor.local_endpoint().port();
        accept();
        thread = std::thread([this] { io.run(); });
    }

    ~Impl() {
        net::post(io, [this] {
            beast::error_code ignored;
            acceptor.close(ignored);
            for (auto& socket : sockets) socket.close(ignored);
        });
        thread.join();
    }

    // One connection: one request, one answer (or none), then close.
    struct Exchange {
        std::list<tcp::socket>::iterator socket;
        beast::flat_buffer buffer;
        http::request<http::string_body> request;
        http::response<http::string_body> response;
    };

    void accept() {
        acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
            if (ec) return;
            auto exchange = std::make_shared<Exchange>();
            exchange->socket = sockets.insert(sockets.end(), std::move(socket));
            http::async_read(*exchange->socket, exchange->buffer, exchange->request,
                             [this, exchange](beast::error_code read_error, std::size_t) {
                                 if (!read_error) answer(exchange);
                             });
            accept();
        });
    }

    void answer(const std::shared_ptr<Exchange>& exchange) {
        const std::string target(exchange->request.target());
        {
            std::lock_guard lock(mutex);
            received.push_back(target);
        }
        const auto reply = handler(target);
        if (reply.never_answer) return;  // the socket stays open until the server stops
        exchange->response.result(static_cast<http::status>(reply.status));
        exchange->response.set(http::field::content_type, "application/json");
        exchange->response.body() = reply.body;
        exchange->response.keep_alive(false);
        exchange->response.prepare_payload();
        http::async_write(*exchange->socket, exchange->response, [exchange](beast::error_code, std::size_t) {
            beast::error_code ignored;
            exchange->socket->shutdown(tcp::socket::shutdown_send, ignored);
        });
    }

    Handler handler;
    net::io_context io{1};
    tcp::acceptor acceptor{io};
    std::list<tcp::socket> sockets;
    std::uint16_t port = 0;
    std::thread thread;
    mutable std::mutex mutex;
    std::vector<std::string> received;
};

LookupServer::LookupServer(Handler handler) : impl_(std::make_unique<Impl>(std::move(handler))) {}
LookupServer::~LookupServer() = default;

std::uint16_t LookupServer::port() const { return impl_->port; }

std::vector<std::string> LookupServer::targets() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->received;
}

}  // namespace cti::test
