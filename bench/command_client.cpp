#include "command_client.hpp"

#include <stdexcept>

#include "bench_clock.hpp"
#include "frame_fields.hpp"

namespace cti::bench {
namespace {
constexpr auto reply_timeout = std::chrono::seconds(10);
}

CommandClient::CommandClient(std::uint16_t port, const std::string& origin) {
    auto& stream = beast::get_lowest_layer(ws_);
    stream.expires_after(reply_timeout);
    stream.connect(tcp::endpoint(net::ip::address_v4::loopback(), port));
    stream.socket().set_option(tcp::no_delay(true));
    ws_.set_option(websocket::stream_base::decorator([origin](websocket::request_type& request) {
        request.set(http::field::origin, origin);
        request.set(http::field::user_agent, "cti-bench");
    }));
    ws_.handshake("127.0.0.1:" + std::to_string(port), "/ws");
    while (read_frame_fields(read_text()).type != "snapshot") {
    }
}

CommandClient::~CommandClient() {
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).socket().close(ignored);
}

CommandReply CommandClient::command(std::string_view fields) {
    const auto id = "b" + std::to_string(next_id_++);
    auto text = R"({"v":1,"id":")" + id + "\"," + std::string(fields) + "}";
    CommandReply reply;
    beast::get_lowest_layer(ws_).expires_after(reply_timeout);
    reply.sent_ns = now_ns();
    ws_.write(net::buffer(text));
    for (;;) {  // events may come first; the one command in flight has the one result
        reply.frame = read_text();
        reply.received_ns = now_ns();
        const auto type = read_frame_fields(reply.frame).type;
        if (type == "result" || type == "error") return reply;
    }
}

std::string CommandClient::read_text() {
    buffer_.clear();
    beast::get_lowest_layer(ws_).expires_after(reply_timeout);
    ws_.read(buffer_);
    return beast::buffers_to_string(buffer_.cdata());
}

}  // namespace cti::bench
