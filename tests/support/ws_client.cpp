#include "support/ws_client.hpp"

#include "support/run_with_deadline.hpp"

#include <deque>

#include <utility>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

namespace cti::test {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace websocket = boost::beast::websocket;
using tcp = net::ip::tcp;

}  // namespace

HandshakeRefused::HandshakeRefused(int status_in, std::string body_in)
    : std::runtime_error("handshake refused with HTTP " + std::to_string(status_in)),
      status(status_in),
      body(std::move(body_in)) {}

struct WsClient::Impl {
    net::io_context io;
    websocket::stream<beast::tcp_stream> ws{io};
    std::deque<nlohmann::json> pending;
    std::uint64_t next_id = 1;

    nlohmann::json read(std::chrono::milliseconds timeout) {
        if (!pending.empty()) {
            auto frame = std::move(pending.front());
            pending.pop_front();
            return frame;
        }
        beast::flat_buffer buffer;
        auto ec = run_with_deadline(io, beast::get_lowest_layer(ws), timeout, [&](auto handler) {
            ws.async_read(buffer, handler);
        });
        if (ec) throw beast::system_error(ec, "reading a frame");
        return nlohmann::json::parse(beast::buffers_to_string(buffer.data()));
    }
};

WsClient::WsClient(std::uint16_t port, ClientOptions options) : impl_(std::make_unique<Impl>()) {
    auto& socket = beast::get_lowest_layer(impl_->ws).socket();
    socket.open(tcp::v4());
    if (options.receive_buffer > 0)
        socket.set_option(net::socket_base::receive_buffer_size(options.receive_buffer));
    auto& stream = beast::get_lowest_layer(impl_->ws);
    const tcp::endpoint endpoint{net::ip::address_v4::loopback(), port};
    if (auto ec = run_with_deadline(impl_->io, stream, 5s, [&](auto handler) {
            stream.async_connect(endpoint, handler);
        }))
        throw beast::system_error(ec, "connecting");

    const auto own = "http://127.0.0.1:" + std::to_string(port);
    const auto origin = options.origin.value_or(own);
    impl_->ws.set_option(websocket::stream_base::decorator([origin](websocket::request_type& request) {
        if (origin.empty()) request.erase(http::field::origin);
        else request.set(http::field::origin, origin);
    }));
    websocket::response_type response;
    const auto host = options.host.value_or("127.0.0.1:" + std::to_string(port));
    auto ec = run_with_deadline(impl_->io, stream, 5s, [&](auto handler) {
        impl_->ws.async_handshake(response, host, options.path, handler);
    });
    if (ec) {
        if (response.result_int() != 0 && response.result() != http::status::switching_protocols)
            throw HandshakeRefused(static_cast<int>(response.result_int()), response.body());
        throw beast::system_error(ec, "handshake");
    }
    beast::get_lowest_layer(impl_->ws).expires_never();
    if (!options.read_greeting) return;
    hello_ = impl_->read(5s);
    if (hello_.value("auth", "") != "required") {
        snapshot_ = impl_->read(5s);
    } else if (options.token) {
        auto result = authenticate(*options.token);
        if (!result.value("ok", false)) throw std::runtime_error("authenticate failed: " + result.dump());
    }
}

nlohmann::json WsClient::authenticate(const std::string& token) {
    auto result = command({{"type", "authenticate"}, {"token", token}});
    if (result.value("ok", false)) read_greeting();
    return result;
}

void WsClient::read_greeting() {
    hello_ = impl_->read(5s);
    snapshot_ = impl_->read(5s);
}

WsClient::~WsClient() {
    beast::error_code ignored;
    beast::get_lowest_layer(impl_->ws).socket().close(ignored);
}

void WsClient::send_text(const std::string& text) {
    auto& stream = beast::get_lowest_layer(impl_->ws);
    if (auto ec = run_with_deadline(impl_->io, stream, 5s, [&](auto handler) {
            impl_->ws.async_write(net::buffer(text), handler);
        }))
        throw beast::system_error(ec, "writing a frame");
}

nlohmann::json WsClient::command(nlohmann::json command, std::chrono::milliseconds timeout) {
    const auto id = "t" + std::to_string(impl_->next_id++);
    command["v"] = 1;
    command["id"] = id;
    send_text(command.dump());
    std::deque<nlohmann::json> skipped;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) throw std::runtime_error("no result for command " + id);
        auto frame = impl_->read(left);
        if (frame.value("type", "") == "result" && frame.value("id", "") == id) {
            for (auto it = skipped.rbegin(); it != skipped.rend(); ++it) impl_->pending.push_front(*it);
            return frame;
        }
        skipped.push_back(std::move(frame));
    }
}

nlohmann::json WsClient::next_frame(std::chrono::milliseconds timeout) { return impl_->read(timeout); }

nlohmann::json WsClient::next_event(std::chrono::milliseconds timeout) {
    auto frame = impl_->read(timeout);
    if (frame.value("type", "") != "event")
        throw std::runtime_error("expected an event, got " + frame.dump());
    return frame;
}

nlohmann::json WsClient::event_named(const std::string& name, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) throw std::runtime_error("no event " + name);
        auto frame = impl_->read(left);
        if (frame.value("type", "") == "event" && frame.value("name", "") == name) return frame;
    }
}

int WsClient::read_until_closed(std::chrono::milliseconds timeout, std::size_t* frames_read) {
    std::vector<nlohmann::json> frames;
    const auto code = frames_until_closed(frames, timeout);
    if (frames_read) *frames_read = frames.size();
    return code;
}

int WsClient::close_code() const { return impl_->ws.reason().code; }

int WsClient::frames_until_closed(std::vector<nlohmann::json>& frames, std::chrono::milliseconds timeout) {
    frames.assign(impl_->pending.begin(), impl_->pending.end());
    impl_->pending.clear();
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) throw std::runtime_error("the server did not close the connection");
        beast::flat_buffer buffer;
        auto ec = run_with_deadline(impl_->io, beast::get_lowest_layer(impl_->ws), left, [&](auto handler) {
            impl_->ws.async_read(buffer, handler);
        });
        if (ec == websocket::error::closed) return impl_->ws.reason().code;
        if (ec) throw beast::system_error(ec, "waiting for close");
        frames.push_back(nlohmann::json::parse(beast::buffers_to_string(buffer.data()), nullptr, false));
    }
}

int upgrade_status(std::uint16_t port, ClientOptions options) {
    try {
        WsClient client(port, std::move(options));
    } catch (const HandshakeRefused& refused) {
        return refused.status;
    }
    return 101;
}

HttpReply http_request(std::uint16_t port, const std::string& method, const std::string& target,
                       const std::map<std::string, std::string>& headers, const std::string& body) {
    net::io_context io;
    beast::tcp_stream stream(io);
    const tcp::endpoint endpoint{net::ip::address_v4::loopback(), port};
    if (auto ec = run_with_deadline(io, stream, 5s, [&](auto handler) { stream.async_connect(endpoint, handler); }))
        throw beast::system_error(ec, "connecting");
    http::request<http::string_body> request{http::string_to_verb(method), target, 11};
    request.set(http::field::host, "127.0.0.1:" + std::to_string(port));
    for (const auto& [name, value] : headers) request.set(name, value);
    if (!body.empty()) request.body() = body;
    request.prepare_payload();
    if (auto ec = run_with_deadline(io, stream, 5s, [&](auto handler) { http::async_write(stream, request, handler); }))
        throw beast::system_error(ec, "writing the request");
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    if (auto ec = run_with_deadline(io, stream, 5s, [&](auto handler) { http::async_read(stream, buffer, response, handler); }))
        throw beast::system_error(ec, "reading the response");
    HttpReply reply;
    reply.status = static_cast<int>(response.result_int());
    for (const auto& field : response) {
        std::string name(field.name_string());
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        reply.headers[name] = std::string(field.value());
    }
    reply.body = response.body();
    return reply;
}

}  // namespace cti::test
