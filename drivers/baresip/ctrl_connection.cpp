#include "baresip/ctrl_connection.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/write.hpp>

namespace cti::baresip {

namespace net = boost::asio;
using boost::system::error_code;

CtrlConnection::CtrlConnection(const drivers::Strand& strand, Handlers handlers,
                               std::chrono::milliseconds command_timeout)
    : strand_(strand), handlers_(std::move(handlers)), command_timeout_(command_timeout), socket_(strand) {}

void CtrlConnection::connect(const HostPort& address, std::function<void(const std::string&)> done) {
    error_code ec;
    const auto ip = net::ip::make_address(address.host, ec);
    if (ec) return done("'" + address.host + "' is not an IP address");
    // One attempt only: ctrl_tcp serves one client and drops the previous one when another
    // connects, so the driver never probes the port.
    socket_.async_connect({ip, address.port}, [self = shared_from_this(), done](error_code error) {
        if (error) return done(error.message());
        self->open_ = true;
        self->read_more();
        done({});
    });
}

void CtrlConnection::send(const std::string& command, const std::string& params, Reply reply) {
    if (!open_) return reply(std::nullopt);
    const auto token = "cti-" + std::to_string(next_token_++);
    auto deadline = std::make_unique<net::steady_timer>(strand_, command_timeout_);
    deadline->async_wait([self = shared_from_this(), token](error_code ec) {
        if (ec) return;
        auto node = self->pending_.extract(token);
        if (!node.empty()) node.mapped().reply(std::nullopt);
    });
    pending_[token] = Pending{std::move(reply), std::move(deadline)};
    outgoing_.push_back(encode_netstring(encode_ctrl_command(command, params, token)));
    if (outgoing_.size() == 1) write_next();
}

void CtrlConnection::close() {
    open_ = false;
    handlers_ = {};
    error_code ignored;
    socket_.close(ignored);
    fail_pending();
}

void CtrlConnection::read_more() {
    socket_.async_read_some(net::buffer(buffer_), [self = shared_from_this()](error_code ec, std::size_t n) {
        if (!self->open_) return;
        if (ec) return self->fail(ec == net::error::eof ? "baresip closed the control connection" : ec.message());
        self->reader_.feed({self->buffer_, n});
        while (auto payload = self->reader_.next()) {
            self->handle_payload(*payload);
            if (!self->open_) return;  // a handler closed the connection
        }
        if (self->reader_.broken()) return self->fail(self->reader_.error());
        self->read_more();
    });
}

void CtrlConnection::handle_payload(const std::string& payload) {
    auto message = decode_ctrl_message(payload);
    if (auto* event = std::get_if<CtrlEvent>(&message)) {
        if (handlers_.on_event) handlers_.on_event(*event);
    } else if (auto* response = std::get_if<CtrlResponse>(&message)) {
        handle_response(*response);
    } else if (handlers_.on_skipped) {
        handlers_.on_skipped(std::get<UnknownMessage>(message).why);
    }
}

void CtrlConnection::handle_response(const CtrlResponse& response) {
    auto node = pending_.extract(response.token);
    if (node.empty()) {
        // Late (after its deadline) or never asked for: nobody waits for it any more.
        if (handlers_.on_skipped) handlers_.on_skipped("a ctrl_tcp response nobody waited for");
        return;
    }
    node.mapped().deadline->cancel();
    node.mapped().reply(response);
}

void CtrlConnection::write_next() {
    net::async_write(socket_, net::buffer(outgoing_.front()), [self = shared_from_this()](error_code ec, std::size_t) {
        if (!self->open_) return;
        if (ec) return self->fail(ec.message());
        self->outgoing_.pop_front();
        if (!self->outgoing_.empty()) self->write_next();
    });
}

void CtrlConnection::fail(const std::string& why) {
    auto on_lost = std::move(handlers_.on_lost);
    close();
    if (on_lost) on_lost(why);
}

void CtrlConnection::fail_pending() {
    auto pending = std::move(pending_);
    pending_.clear();
    for (auto& [token, waiting] : pending) {
        waiting.deadline->cancel();
        waiting.reply(std::nullopt);
    }
}

}  // namespace cti::baresip
