// SessionStream's write coalescing, over real loopback TCP: held writes complete at once without
// sending anything, and the next write that is not held sends them first, in order, in one go.
#include <catch2/catch.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "net/session_stream.hpp"

namespace cti {
namespace {

// A connected pair of loopback sockets: the adapter's end wrapped in a SessionStream.
struct ConnectedPair {
    net::io_context io;
    tcp::socket peer{io};
    std::unique_ptr<SessionStream> stream;

    ConnectedPair() {
        tcp::acceptor acceptor(io, tcp::endpoint(net::ip::address_v4::loopback(), 0));
        peer.connect(acceptor.local_endpoint());
        stream = std::make_unique<SessionStream>(acceptor.accept());
    }

    // Writes `text` through the stream and runs until the write has completed.
    std::size_t write(const std::string& text) {
        std::size_t written = 0;
        beast::error_code result = net::error::would_block;
        stream->async_write_some(net::buffer(text), [&](beast::error_code ec, std::size_t bytes) {
            result = ec;
            written = bytes;
        });
        io.restart();
        io.run_for(std::chrono::seconds(10));
        INFO("write completed with: " << result.message());
        REQUIRE_FALSE(result.failed());
        return written;
    }

    std::size_t readable() { return peer.available(); }

    std::string read_exactly(std::size_t size) {
        std::string text(size, '\0');
        net::read(peer, net::buffer(text));
        return text;
    }
};

}  // namespace

TEST_CASE("session stream: a held write completes at once and sends nothing", "[net][coalescing]") {
    ConnectedPair pair;
    pair.stream->hold_writes(true);
    CHECK(pair.write("first frame|") == 12);
    // Nothing was handed to the socket, so there is nothing to wait for: none can have arrived.
    CHECK(pair.readable() == 0);

    SECTION("the next write that is not held sends the kept bytes first, then its own") {
        pair.stream->hold_writes(false);
        CHECK(pair.write("second frame") == 12);  // reports its own bytes only
        CHECK(pair.read_exactly(24) == "first frame|second frame");
    }
    SECTION("several held writes keep their order") {
        CHECK(pair.write("second|") == 7);
        pair.stream->hold_writes(false);
        CHECK(pair.write("third") == 5);
        CHECK(pair.read_exactly(24) == "first frame|second|third");
    }
}

TEST_CASE("session stream: a write that would keep more than 64 KiB is sent at once, with what is kept",
          "[net][coalescing]") {
    ConnectedPair pair;
    pair.stream->hold_writes(true);
    CHECK(pair.write("kept|") == 5);
    const std::string big(70 * 1024, 'x');
    CHECK(pair.write(big) == big.size());  // completes only once written: nothing waits in memory
    CHECK(pair.read_exactly(5 + big.size()) == "kept|" + big);
}

TEST_CASE("session stream: WebSocket messages written while held reach the peer whole and in order",
          "[net][coalescing]") {
    net::io_context io;
    tcp::acceptor acceptor(io, tcp::endpoint(net::ip::address_v4::loopback(), 0));
    websocket::stream<tcp::socket> page(io);
    page.next_layer().connect(acceptor.local_endpoint());
    websocket::stream<SessionStream> adapter(SessionStream(acceptor.accept()));

    const std::vector<std::string> sent{R"({"name":"call.ringing"})", R"({"name":"screen_pop"})",
                                        R"({"name":"call.ended"})"};
    std::vector<std::string> received;
    beast::flat_buffer buffer;
    std::function<void()> read_next = [&] {
        page.async_read(buffer, [&](beast::error_code ec, std::size_t) {
            REQUIRE_FALSE(ec);
            received.push_back(beast::buffers_to_string(buffer.data()));
            buffer.consume(buffer.size());
            if (received.size() < sent.size()) read_next();
        });
    };
    std::size_t next = 0;
    std::function<void()> write_next = [&] {
        // As WebsocketSession does: hold while more messages are queued behind this one.
        adapter.next_layer().hold_writes(next + 1 < sent.size());
        adapter.async_write(net::buffer(sent[next]), [&](beast::error_code ec, std::size_t) {
            REQUIRE_FALSE(ec);
            if (++next < sent.size()) write_next();
        });
    };
    adapter.async_accept([&](beast::error_code ec) {
        REQUIRE_FALSE(ec);
        write_next();
    });
    page.async_handshake("127.0.0.1", "/", [&](beast::error_code ec) {
        REQUIRE_FALSE(ec);
        read_next();
    });
    io.run_for(std::chrono::seconds(10));
    CHECK(received == sent);
}

}  // namespace cti
