#include "provider/provider_server.hpp"

#include <algorithm>
#include <chrono>
#include <deque>
#include <string>
#include <utility>

#include <unistd.h>

#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <nlohmann/json.hpp>

namespace cti::tapi {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using nlohmann::json;

// One client: reads lines, queues writes. A line longer than 64 KiB closes the connection.
class ClientConnection : public std::enable_shared_from_this<ClientConnection> {
public:
    ClientConnection(tcp::socket socket, ProviderServer& server)
        : socket_(std::move(socket)), buffer_(64 * 1024), server_(server) {}

    void start() { read(); }

    void send(std::string line) {
        line.push_back('\n');
        queue_.push_back(std::move(line));
        if (queue_.size() == 1) write();
    }

    void close() {
        boost::system::error_code ignored;
        socket_.close(ignored);
    }

private:
    void read() {
        net::async_read_until(
            socket_, buffer_, '\n',
            [self = shared_from_this()](boost::system::error_code ec, std::size_t size) {
                self->on_read(ec, size);
            });
    }

    void on_read(boost::system::error_code ec, std::size_t size) {
        if (ec) return server_.remove(shared_from_this());
        std::string line(
            net::buffers_begin(buffer_.data()),
            net::buffers_begin(buffer_.data()) + static_cast<std::ptrdiff_t>(size - 1));
        buffer_.consume(size);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (!line.empty())
            if (auto reply = server_.handle_line(line, *this); !reply.empty()) send(std::move(reply));
        read();
    }

    void write() {
        net::async_write(socket_, net::buffer(queue_.front()),
                         [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                             if (ec) return self->server_.remove(self);
                             self->queue_.pop_front();
                             if (!self->queue_.empty()) self->write();
                         });
    }

    tcp::socket socket_;
    net::streambuf buffer_;
    std::deque<std::string> queue_;
    ProviderServer& server_;
};

ProviderServer::ProviderServer(net::io_context& io, const std::string& host, std::uint16_t port,
                               EmulatorSettings settings)
    : io_(io),
      acceptor_(io, tcp::endpoint(net::ip::make_address(host), port)),  // sets SO_REUSEADDR
      emulator_(io, std::move(settings), [this](const std::string& line) { broadcast(line); }),
      instance_(std::to_string(::getpid()) + "-" +
                std::to_string(std::chrono::steady_clock::now().time_since_epoch().count())) {
    accept();
}

ProviderServer::~ProviderServer() {
    for (const auto& client : clients_) client->close();
}

void ProviderServer::accept() {
    acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
        if (ec) return;  // the acceptor was closed
        auto client = std::make_shared<ClientConnection>(std::move(socket), *this);
        clients_.insert(client);
        client->send(encode(ProviderInit{emulator_.line(), instance_, emulator_.calls(), {}}));
        client->start();
        if (auto first = std::exchange(on_first_client_, nullptr)) first();
        accept();
    });
}

void ProviderServer::remove(const std::shared_ptr<ClientConnection>& connection) {
    connection->close();
    clients_.erase(connection);
}

// {"control":"drop_connections","end_calls":["c2"]}: the network between the line and its other
// clients fails; the calls named end (far end hangs up) before anyone can reconnect, in this
// same step, so a reconnecting client finds them gone.
std::string ProviderServer::drop_connections(const json& object, const ClientConnection& sender) {
    auto fail = [](const std::string& why) {
        return json{{"msg", "CONTROL_REPLY"}, {"ok", false}, {"error", why}}.dump();
    };
    const auto end_calls = object.value("end_calls", json::array());
    if (!end_calls.is_array() ||
        !std::all_of(end_calls.begin(), end_calls.end(), [](const json& c) { return c.is_string(); }))
        return fail("'end_calls': expected an array of call handles");
    for (auto client = clients_.begin(); client != clients_.end();) {
        if (client->get() == &sender) {
            ++client;
            continue;
        }
        (*client)->close();
        client = clients_.erase(client);
    }
    for (const auto& call : end_calls) {
        ControlCommand hangup;
        hangup.kind = ControlCommand::Kind::hangup;
        hangup.call = call.get<std::string>();
        if (auto outcome = emulator_.control(hangup); !outcome.ok) return fail(outcome.error);
    }
    return json{{"msg", "CONTROL_REPLY"}, {"ok", true}}.dump();
}

void ProviderServer::broadcast(const std::string& line) {
    for (const auto& client : clients_) client->send(line);
}

std::string ProviderServer::handle_line(const std::string& line, const ClientConnection& sender) {
    auto object = json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (object.is_discarded() || !object.is_object())
        return json{{"msg", "ERROR"}, {"error", "not a JSON object"}}.dump();
    if (object.value("control", json()) == "drop_connections") return drop_connections(object, sender);
    if (object.contains("op")) {
        auto parsed = parse_operation(object);
        if (!parsed.operation) {
            // With a request id the client can match the refusal to its request.
            auto id = object.find("dwRequestID");
            auto request =
                id == object.end() ? std::nullopt : whole_number(*id, 0xFFFFFFFFFFFFFFFFu);
            if (request)
                return encode(LineReply{*request, lineerr_operationfailed, parsed.problem});
            return json{{"msg", "ERROR"}, {"error", parsed.problem}}.dump();
        }
        return encode(emulator_.execute(*parsed.operation));
    }
    if (object.contains("control")) {
        auto parsed = parse_control(object);
        if (!parsed.command)
            return json{{"msg", "CONTROL_REPLY"}, {"ok", false}, {"error", parsed.problem}}.dump();
        auto outcome = emulator_.control(*parsed.command);
        json reply{{"msg", "CONTROL_REPLY"}, {"ok", outcome.ok}};
        if (outcome.ok)
            reply["hCall"] = outcome.call;
        else
            reply["error"] = outcome.error;
        return reply.dump();
    }
    return json{{"msg", "ERROR"}, {"error", "expected an 'op' or a 'control' message"}}.dump();
}

}  // namespace cti::tapi
