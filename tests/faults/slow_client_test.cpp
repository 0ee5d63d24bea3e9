// Slow and stalled clients under the real executable: a page that stops reading is closed with
// 4008 while a page that reads keeps getting every event, and a connection that stalls in the
// middle of its HTTP handshake is cut by the handshake timeout while the pages carry on.
#include <catch2/catch.hpp>

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "faults/simulated_calls.hpp"
#include "support/adapter_process.hpp"
#include "support/temp_dir.hpp"
#include "support/ws_client.hpp"

namespace cti::test {
namespace {

using nlohmann::json;

int connected_pages(std::uint16_t port) {
    return json::parse(http_request(port, "GET", "/status").body)["clients"];
}

// A TCP connection that writes what the test says and nothing more.
class RawConnection {
public:
    explicit RawConnection(std::uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        address.sin_port = htons(port);
        REQUIRE(::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    }
    ~RawConnection() { ::close(fd_); }
    RawConnection(const RawConnection&) = delete;
    RawConnection& operator=(const RawConnection&) = delete;

    void write(const std::string& text) { REQUIRE(::send(fd_, text.data(), text.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(text.size())); }

    // True once the server has closed the connection (EOF or reset) within `timeout`.
    bool closed_by_server(std::chrono::milliseconds timeout) {
        pollfd ready{fd_, POLLIN, 0};
        if (::poll(&ready, 1, static_cast<int>(timeout.count())) <= 0) return false;
        char byte;
        return ::recv(fd_, &byte, 1, 0) <= 0;
    }

private:
    int fd_;
};

}  // namespace

TEST_CASE("a page that stops reading is closed with 4008 while a reading page gets every event without waiting",
          "[faults][backpressure]") {
    TempDir folder;
    // Small socket buffers and a short queue: the stall shows after a few dozen events. The
    // closing handshake may take its time: the stalled page reads its close frame at the end.
    AdapterProcess adapter(folder.path, {{"limits", {{"client_queue_limit", 8}, {"socket_send_buffer", 4096},
                                                     {"handshake_timeout_ms", 60000}}},
                                         {"simulator", {{"ring_timeout_ms", 0}}}});
    WsClient stalled(adapter.port(), with_receive_buffer(4096));
    WsClient reader(adapter.port());
    std::uint64_t last_seq = reader.snapshot()["seq"];
    REQUIRE(connected_pages(adapter.port()) == 2);

    // The reader drives and reads the calls one by one; the stalled page reads nothing. Each
    // event reaches the reader while the stalled page is connected and full, so a reader held
    // up by it would fail here (REQUIRE on every event, with the client's deadline). The
    // adapter's log line says when it gave up on the stalled page.
    int calls = 0;
    std::uint64_t seq_at_closure = 0;
    for (; calls < 2000 && seq_at_closure == 0; ++calls) {
        ring_and_give_up(reader, last_seq);
        if (adapter.logged("closing it with 4008")) seq_at_closure = last_seq;
    }
    REQUIRE(seq_at_closure != 0);
    // And after it nothing changes for the reader.
    for (int more = 0; more < 20; ++more) ring_and_give_up(reader, last_seq);
    CHECK(last_seq == seq_at_closure + 80);

    std::size_t frames = 0;
    CHECK(stalled.read_until_closed(10s, &frames) == 4008);
    INFO("the stalled page got " << frames << " frames, the reader " << 4 * (calls + 20) << " events");
    CHECK(frames < static_cast<std::size_t>(4 * calls));
    CHECK(reader.command({{"type", "ping"}})["ok"] == true);
    CHECK(connected_pages(adapter.port()) == 1);
}

TEST_CASE("a connection that stalls in its handshake is cut by handshake_timeout while pages carry on",
          "[faults][handshake]") {
    TempDir folder;
    AdapterProcess adapter(folder.path, {{"limits", {{"handshake_timeout_ms", 300}}},
                                         {"simulator", {{"ring_timeout_ms", 0}}}});
    WsClient page(adapter.port());
    std::uint64_t last_seq = page.snapshot()["seq"];

    RawConnection silent(adapter.port());   // connects and never says a word
    RawConnection halfway(adapter.port());  // stops in the middle of its upgrade request
    halfway.write("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(adapter.port()) +
                  "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n");
    ring_and_give_up(page, last_seq);  // the page is served while both hang

    CHECK(silent.closed_by_server(std::chrono::seconds(10)));
    CHECK(halfway.closed_by_server(std::chrono::seconds(10)));
    ring_and_give_up(page, last_seq);
    CHECK(connected_pages(adapter.port()) == 1);
}

}  // namespace cti::test
