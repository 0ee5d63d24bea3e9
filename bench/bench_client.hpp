// One benchmark page: a WebSocket client that reads every frame, checks that event numbers
// (`seq`) arrive exactly in order, and records when each screen pop arrived.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "beast.hpp"
#include "call_book.hpp"

namespace cti::bench {

struct ClientCounters {
    std::uint64_t last_seq = 0;      // the highest event number seen (the snapshot's at first)
    std::uint64_t events = 0;        // events received
    std::uint64_t lost = 0;          // event numbers skipped over
    std::uint64_t out_of_order = 0;  // events not newer than the one before
    bool ready = false;              // the snapshot arrived: events counted from here
    bool closed = false;             // the server closed the connection
};

class BenchClient : public std::enable_shared_from_this<BenchClient> {
public:
    // `on_ready(ok)` is called once: when the snapshot arrived, or when connecting failed.
    BenchClient(net::io_context& io, std::size_t index, CallBook& book, std::function<void(bool)> on_ready);

    void start(std::uint16_t port, std::string origin);
    // Only once the client's io_context has stopped.
    const ClientCounters& counters() const { return counters_; }

private:
    void on_connect(beast::error_code ec);
    void on_handshake(beast::error_code ec);
    void do_read();
    void on_read(beast::error_code ec, std::size_t bytes);
    void count_event(std::uint64_t seq);
    void become_ready(bool ok);

    websocket::stream<beast::tcp_stream> ws_;
    beast::flat_buffer buffer_;
    std::size_t index_;
    CallBook& book_;
    std::function<void(bool)> on_ready_;
    std::uint16_t port_ = 0;
    std::string origin_;
    ClientCounters counters_;
};

}  // namespace cti::bench
