#include "cli/adapter_client.hpp"

#include "cli/local_http.hpp"
#include "net/beast.hpp"

namespace cti {

struct AdapterClient::Connection {
    net::io_context io;
    websocket::stream<beast::tcp_stream> ws{io};
    std::uint16_t port = 0;
    std::chrono::milliseconds timeout{};
    nlohmann::json hello;
    nlohmann::json snapshot;
    std::uint64_t next_id = 1;

    std::string origin() const { return "http://127.0.0.1:" + std::to_string(port); }
    std::string host() const { return "127.0.0.1:" + std::to_string(port); }

    nlohmann::json read_frame() {
        beast::flat_buffer buffer;
        beast::get_lowest_layer(ws).expires_after(timeout);
        ws.read(buffer);
        return nlohmann::json::parse(beast::buffers_to_string(buffer.data()));
    }

    void open(std::uint16_t candidate) {
        port = candidate;
        beast::get_lowest_layer(ws).expires_after(timeout);
        beast::get_lowest_layer(ws).connect(tcp::endpoint{net::ip::address_v4::loopback(), port});
        ws.set_option(websocket::stream_base::decorator([origin = origin()](websocket::request_type& request) {
            request.set(http::field::origin, origin);
            request.set(http::field::user_agent, "cti-adapter-cli");
        }));
        ws.handshake(host(), "/ws");
        hello = read_frame();
        if (hello.value("type", "") != "hello" || hello.value("product", "") != "cti-adapter")
            throw std::runtime_error("not a cti-adapter");
        snapshot = read_frame();
    }
};

AdapterClient::AdapterClient(std::unique_ptr<Connection> connection)
    : connection_(std::move(connection)) {}

AdapterClient::~AdapterClient() {
    beast::error_code ignored;
    connection_->ws.close(websocket::close_code::normal, ignored);
}

std::unique_ptr<AdapterClient> AdapterClient::connect(const std::vector<std::uint16_t>& ports,
                                                      std::chrono::milliseconds timeout) {
    std::string tried;
    for (auto port : ports) {
        auto connection = std::make_unique<Connection>();
        connection->timeout = timeout;
        try {
            connection->open(port);
            return std::unique_ptr<AdapterClient>(new AdapterClient(std::move(connection)));
        } catch (const std::exception& error) {
            tried += "\n  127.0.0.1:" + std::to_string(port) + ": " + error.what();
        }
    }
    throw AdapterNotRunning("no cti-adapter answered on" + tried);
}

std::uint16_t AdapterClient::port() const { return connection_->port; }
const nlohmann::json& AdapterClient::hello() const { return connection_->hello; }
const nlohmann::json& AdapterClient::snapshot() const { return connection_->snapshot; }

nlohmann::json AdapterClient::command(nlohmann::json command) {
    auto& c = *connection_;
    const auto id = "cli-" + std::to_string(c.next_id++);
    command["v"] = 1;
    command["id"] = id;
    beast::get_lowest_layer(c.ws).expires_after(c.timeout);
    c.ws.write(net::buffer(command.dump()));
    for (;;) {  // events may arrive before our result; skip them
        auto frame = c.read_frame();
        if (frame.value("type", "") == "result" && frame.value("id", "") == id) return frame;
        if (frame.value("type", "") == "error") return frame;
    }
}

nlohmann::json AdapterClient::get_json(const std::string& path) {
    return get_local_json(connection_->port, path, connection_->timeout);
}

}  // namespace cti
