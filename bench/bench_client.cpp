#include "bench_client.hpp"

#include "bench_clock.hpp"
#include "frame_fields.hpp"

namespace cti::bench {

BenchClient::BenchClient(net::io_context& io, std::size_t index, CallBook& book,
                         std::function<void(bool)> on_ready)
    : ws_(io), index_(index), book_(book), on_ready_(std::move(on_ready)) {}

void BenchClient::start(std::uint16_t port, std::string origin) {
    port_ = port;
    origin_ = std::move(origin);
    beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds(30));
    beast::get_lowest_layer(ws_).async_connect(
        tcp::endpoint(net::ip::address_v4::loopback(), port),
        beast::bind_front_handler(&BenchClient::on_connect, shared_from_this()));
}

void BenchClient::on_connect(beast::error_code ec) {
    if (ec) return become_ready(false);
    beast::get_lowest_layer(ws_).socket().set_option(tcp::no_delay(true), ec);
    ws_.set_option(websocket::stream_base::decorator([origin = origin_](websocket::request_type& request) {
        request.set(http::field::origin, origin);
        request.set(http::field::user_agent, "cti-bench");
    }));
    ws_.async_handshake("127.0.0.1:" + std::to_string(port_), "/ws",
                        beast::bind_front_handler(&BenchClient::on_handshake, shared_from_this()));
}

void BenchClient::on_handshake(beast::error_code ec) {
    if (ec) return become_ready(false);
    // From here the server decides when the connection ends; no deadline while waiting for calls.
    beast::get_lowest_layer(ws_).expires_never();
    do_read();
}

void BenchClient::do_read() {
    ws_.async_read(buffer_, beast::bind_front_handler(&BenchClient::on_read, shared_from_this()));
}

void BenchClient::on_read(beast::error_code ec, std::size_t) {
    const auto arrived_ns = now_ns();  // first, before any work of the benchmark's own
    if (ec) {
        counters_.closed = true;
        return become_ready(false);
    }
    const auto data = buffer_.cdata();
    const auto fields = read_frame_fields(std::string_view(static_cast<const char*>(data.data()), data.size()));
    if (fields.type == "snapshot" && fields.seq && !counters_.ready) {
        counters_.last_seq = *fields.seq;
        become_ready(true);
    } else if (fields.type == "event" && fields.seq && counters_.ready) {
        count_event(*fields.seq);
        if (fields.call) {
            book_.record_first_event(*fields.call, index_, arrived_ns);
            if (fields.name == "screen_pop") book_.record_arrival(*fields.call, index_, arrived_ns);
            if (fields.name == "call_log") book_.record_logged(*fields.call);
        }
    }
    buffer_.consume(buffer_.size());
    do_read();
}

void BenchClient::count_event(std::uint64_t seq) {
    ++counters_.events;
    if (seq <= counters_.last_seq) {
        ++counters_.out_of_order;
        return;
    }
    counters_.lost += seq - counters_.last_seq - 1;
    counters_.last_seq = seq;
}

void BenchClient::become_ready(bool ok) {
    if (counters_.ready) return;
    counters_.ready = ok;
    if (auto callback = std::exchange(on_ready_, nullptr)) callback(ok);
}

}  // namespace cti::bench
