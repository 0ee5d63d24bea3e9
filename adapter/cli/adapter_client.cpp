#include "cli/adapter_client.hpp"

#include <deque>

#include "cli/local_http.hpp"
#include "net/beast.hpp"

namespace cti {
namespace {

// How often a port that drops the connection before the hello is asked (see connect()).
constexpr int busy_attempts = 5;

}  // namespace

struct AdapterClient::Connection {
    net::io_context io;
    websocket::stream<beast::tcp_stream> ws{io};
    std::uint16_t port = 0;
    std::chrono::milliseconds timeout{};
    protocol::Hello hello;
    protocol::SnapshotSummary snapshot;
    std::uint64_t next_id = 1;
    std::deque<std::string> early_events;  // came while a command waited for its result
    bool timed_out = false;
    bool accepted = false;       // the port took the TCP connection
    bool other_program = false;  // and what answered was not a cti-adapter

    std::string origin() const { return "http://127.0.0.1:" + std::to_string(port); }
    std::string host() const { return "127.0.0.1:" + std::to_string(port); }

    // A stream's time limit applies to asynchronous operations only: each step runs as one, on
    // this thread, so a program that holds the port and never answers (or a quiet adapter)
    // cannot hold the command line up.
    template <typename Start>
    void within(std::chrono::milliseconds wait, Start start) {
        beast::error_code failure;
        beast::get_lowest_layer(ws).expires_after(wait);
        start([&failure](beast::error_code ec, auto&&...) { failure = ec; });
        io.restart();
        io.run();
        if (failure) throw beast::system_error(failure);
    }

    std::string read_frame() { return read_frame(timeout); }
    std::string read_frame(std::chrono::milliseconds wait) {
        beast::flat_buffer buffer;
        within(wait, [&](auto done) { ws.async_read(buffer, done); });
        return beast::buffers_to_string(buffer.data());
    }

    // The frame's type and id; a frame that is not one the adapter sends ends the command.
    protocol::FrameEnvelope read_envelope(const std::string& frame) {
        auto envelope = protocol::decode_envelope(frame);
        if (!envelope) throw std::runtime_error(envelope.error().message);
        return *envelope;
    }

    void write_frame(const std::string& text) {
        within(timeout, [&](auto done) { ws.async_write(net::buffer(text), done); });
    }

    void open(std::uint16_t candidate) {
        port = candidate;
        within(timeout, [&](auto done) {
            beast::get_lowest_layer(ws).async_connect(tcp::endpoint{net::ip::address_v4::loopback(), port}, done);
        });
        accepted = true;
        ws.set_option(websocket::stream_base::decorator([origin = origin()](websocket::request_type& request) {
            request.set(http::field::origin, origin);
            request.set(http::field::user_agent, "cti-adapter-cli");
        }));
        within(timeout, [&](auto done) { ws.async_handshake(host(), "/ws", done); });
        auto adapter_hello = protocol::decode_hello(read_frame());
        if (!adapter_hello) {
            other_program = true;
            throw std::runtime_error("not a cti-adapter");
        }
        hello = std::move(*adapter_hello);
        auto first_snapshot = protocol::decode_snapshot(read_frame());
        if (!first_snapshot) throw std::runtime_error(first_snapshot.error().message);
        snapshot = std::move(*first_snapshot);
    }
};

AdapterClient::AdapterClient(std::unique_ptr<Connection> connection)
    : connection_(std::move(connection)) {}

AdapterClient::~AdapterClient() {
    if (connection_->timed_out) return;  // the stream is closed already
    try {
        auto& ws = connection_->ws;
        connection_->within(connection_->timeout,
                            [&](auto done) { ws.async_close(websocket::close_code::normal, done); });
    } catch (const std::exception&) {
        // The adapter went away first: nothing left to close.
    }
}

std::unique_ptr<AdapterClient> AdapterClient::connect(const std::vector<std::uint16_t>& ports,
                                                      std::chrono::milliseconds timeout) {
    std::string tried;
    for (auto port : ports) {
        // A port that took the connection and then dropped it before the hello is an adapter
        // under a flood of connections (its pool of unknown connections made way for newer
        // ones, or it answered 503): asked again at once, it lets this one in.
        for (int attempt = 1;; ++attempt) {
            auto connection = std::make_unique<Connection>();
            connection->timeout = timeout;
            try {
                connection->open(port);
                return std::unique_ptr<AdapterClient>(new AdapterClient(std::move(connection)));
            } catch (const std::exception& error) {
                // A program that holds the port and never answers is not asked again: it would
                // only make the command line wait busy_attempts times as long.
                const auto* failure = dynamic_cast<const beast::system_error*>(&error);
                const bool silent = failure && failure->code() == beast::error::timeout;
                const bool busy = connection->accepted && !connection->other_program && !silent;
                if (busy && attempt < busy_attempts) continue;
                tried += "\n  127.0.0.1:" + std::to_string(port) + ": " + error.what();
                break;
            }
        }
    }
    throw AdapterNotRunning("no cti-adapter answered on" + tried);
}

std::uint16_t AdapterClient::port() const { return connection_->port; }
const protocol::Hello& AdapterClient::hello() const { return connection_->hello; }
const protocol::SnapshotSummary& AdapterClient::snapshot() const { return connection_->snapshot; }

std::string AdapterClient::command(const protocol::ClientCommand& command) {
    using Type = protocol::ServerFrameType;
    auto& c = *connection_;
    const auto id = "cli-" + std::to_string(c.next_id++);
    c.write_frame(protocol::encode_client_command(id, command));
    for (;;) {  // events may arrive before our result: keep them for next_event()
        auto frame = c.read_frame();
        const auto envelope = c.read_envelope(frame);
        if (envelope.type == Type::result && envelope.id == id) return frame;
        if (envelope.type == Type::error) return frame;
        if (envelope.type == Type::event) c.early_events.push_back(std::move(frame));
    }
}

std::optional<std::string> AdapterClient::next_event(std::chrono::milliseconds wait) {
    auto& c = *connection_;
    if (!c.early_events.empty()) {
        auto frame = std::move(c.early_events.front());
        c.early_events.pop_front();
        return frame;
    }
    if (c.timed_out) return std::nullopt;
    const auto deadline = std::chrono::steady_clock::now() + wait;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) break;
        try {
            auto frame = c.read_frame(left);
            if (c.read_envelope(frame).type == protocol::ServerFrameType::event) return frame;
        } catch (const beast::system_error& error) {
            if (error.code() != beast::error::timeout) throw;
            break;
        }
    }
    c.timed_out = true;
    return std::nullopt;
}

std::string AdapterClient::get_body(const std::string& path) {
    return get_local_body(connection_->port, path, connection_->timeout);
}

}  // namespace cti
