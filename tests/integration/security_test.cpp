// Who may connect, and what happens to oversized or slow clients (docs/PROTOCOL.md, 1.1 and 5).
#include <catch2/catch.hpp>

#include <utility>
#include <boost/asio.hpp>

#include "pairing/tokens.hpp"
#include "support/fake_driver.hpp"
#include "support/log_capture.hpp"
#include "support/pairing_flow.hpp"
#include "support/running_adapter.hpp"
#include "support/ws_client.hpp"

using namespace cti;
using namespace cti::test;
using nlohmann::json;

TEST_CASE("only allowed origins may open the WebSocket", "[security][origin]") {
    const std::string token = "security-test-token-0123456789abcdefgh";
    RunningAdapter adapter(R"({"allowed_origins": ["https://crm.example.com"], "pairing": {"preseeded": [)"
                           R"({"origin": "https://crm.example.com", "token_sha256": ")" +
                           pairing::token_sha256_hex(token) + R"("}]}})");
    const auto port = adapter.port();
    for (const char* origin : {"https://evil.example", "https://crm.example.com.evil.example",
                               "https://evil.crm.example.com", "http://crm.example.com",
                               "https://crm.example.com:8443", "null", ""}) {
        INFO("Origin: " << origin);
        CHECK(upgrade_status(port, with_origin(origin)) == 403);
    }
    CHECK(WsClient(port, with_token("https://crm.example.com", token)).snapshot()["type"] == "snapshot");
    CHECK(WsClient(port, with_origin("http://localhost:" + std::to_string(port))).hello()["type"] == "hello");
}

TEST_CASE("a refused origin is logged in one wording, naming what it asked for", "[security][origin][log]") {
    LogCapture log;
    RunningAdapter adapter(R"({"allowed_origins": ["https://crm.example.com"]})");
    CHECK(upgrade_status(adapter.port(), with_origin("https://evil.example")) == 403);
    CHECK(http_request(adapter.port(), "GET", "/cti.js", {{"Origin", "https://evil.example"}}).status == 403);
    // The one line support looks for (TROUBLESHOOTING.md), whatever the page asked for.
    const auto refused = log.lines_with("refused Origin 'https://evil.example': not in allowed_origins");
    REQUIRE(refused.size() == 2);
    CHECK_THAT(refused[0], Catch::Contains("(a WebSocket to /ws)"));
    CHECK_THAT(refused[1], Catch::Contains("(GET /cti.js)"));
}

TEST_CASE("a flood of each kind of refusal is logged as a few lines, not a line each", "[security][log]") {
    LogCapture log;
    RunningAdapter adapter(R"({"allowed_origins": ["https://crm.example.com"],
                               "pairing": {"max_pending": 1, "max_pending_per_origin": 1},
                               "limits": {"handshakes_per_second": 0}})");
    const auto port = adapter.port();
    const std::string crm = "https://crm.example.com";
    WsClient waiting(port, unauthenticated(crm));  // holds the one pending pairing request
    REQUIRE(ask_to_pair(waiting)["ok"] == true);

    constexpr int flood = 20;
    for (int i = 0; i < flood; ++i) {
        REQUIRE(http_request(port, "GET", "/health", {{"Host", "evil.example:" + std::to_string(port)}}).status == 403);
        REQUIRE(http_request(port, "GET", "/cti.js", {{"Origin", "https://evil.example"}}).status == 403);
        WsClient early(port, unauthenticated(crm));
        REQUIRE(early.next_frame()["auth"] == "required");
        early.send_text(json{{"v", 1}, {"type", "dial"}, {"id", "1"}, {"to", "+14155550123"}}.dump());
        REQUIRE(early.read_until_closed() == 4001);
        WsClient asking(port, unauthenticated(crm));
        REQUIRE(ask_to_pair(asking)["error"]["code"] == "too_many_requests");
    }
    for (const char* kind : {"refused a request for Host", "refused Origin 'https://evil.example'",
                             "closing it with 4001", "asked to pair: refused"}) {
        INFO(kind);
        const auto lines = log.lines_with(kind);
        CHECK(!lines.empty());
        CHECK(lines.size() <= 3);
    }
}

TEST_CASE("pages closed for an oversized message or the command rate, one after another, are logged as a few lines",
          "[security][log]") {
    LogCapture log;
    RunningAdapter adapter(R"({"limits": {"max_message_bytes": 1024, "commands_per_minute": 1, "handshakes_per_second": 0}})");
    constexpr int flood = 20;
    for (int i = 0; i < flood; ++i) {
        WsClient big(adapter.port());
        big.send_text(std::string(2048, 'x'));
        REQUIRE(big.read_until_closed() == 1009);
        // Counted per origin across connections: each new page is over the limit at once.
        WsClient chatty(adapter.port());
        for (int n = 0; n < 2; ++n) chatty.send_text(json{{"v", 1}, {"type", "ping"}, {"id", std::to_string(n)}}.dump());
        REQUIRE(chatty.read_until_closed() == 4029);
    }
    for (const char* kind : {"closing it with 1009", "closing it with 4029"}) {
        INFO(kind);
        const auto lines = log.lines_with(kind);
        CHECK(!lines.empty());
        CHECK(lines.size() <= 3);
    }
}

TEST_CASE("any Host but a loopback name with the bound port is refused (DNS rebinding)", "[security][host]") {
    RunningAdapter adapter;
    const auto port = adapter.port();
    const auto p = std::to_string(port);
    for (const std::string& host : std::vector<std::string>{"evil.example:" + p, "127.0.0.1", "127.0.0.1:1", "localhost.evil.example:" + p, "0.0.0.0:" + p}) {
        INFO("Host: " << host);
        CHECK(upgrade_status(port, with_host(host)) == 403);
        CHECK(http_request(port, "GET", "/status", {{"Host", host}}).status == 403);
    }
    CHECK(WsClient(port, with_host("LOCALHOST:" + p)).hello()["type"] == "hello");
    CHECK(WsClient(port, with_host("[::1]:" + p)).hello()["type"] == "hello");
}

TEST_CASE("a request with two Host headers is refused with 400, even when the first is good", "[security][host]") {
    RunningAdapter adapter;
    const auto good = "127.0.0.1:" + std::to_string(adapter.port());
    const std::string upgrade = "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nOrigin: http://" + good + "\r\n";
    for (const std::string& request :
         {"GET /status HTTP/1.1\r\nHost: " + good + "\r\nHost: evil.example\r\n\r\n",
          "GET /status HTTP/1.1\r\nHost: " + good + "\r\nHost: " + good + "\r\n\r\n",
          "GET /ws HTTP/1.1\r\nHost: " + good + "\r\nHost: evil.example\r\n" + upgrade + "\r\n"}) {
        INFO(request);
        boost::asio::io_context io;
        boost::asio::ip::tcp::socket socket(io);
        socket.connect({boost::asio::ip::address_v4::loopback(), adapter.port()});
        boost::asio::write(socket, boost::asio::buffer(request));
        std::string reply;
        boost::system::error_code ec;
        boost::asio::read(socket, boost::asio::dynamic_buffer(reply), ec);  // until the server closes
        CHECK(reply.rfind("HTTP/1.1 400 ", 0) == 0);
    }
    CHECK(http_request(adapter.port(), "GET", "/health").status == 200);
}

TEST_CASE("a message over 64 KiB closes the connection with 1009 and others are unaffected", "[security][limits]") {
    RunningAdapter adapter;
    WsClient big(adapter.port());
    WsClient bystander(adapter.port());
    big.send_text(json{{"v", 1}, {"type", "ping"}, {"id", "x"}, {"pad", std::string(100 * 1024, 'a')}}.dump());
    CHECK(big.read_until_closed() == 1009);
    CHECK(bystander.command({{"type", "ping"}})["ok"] == true);
}

TEST_CASE("a client that stops reading is closed with 4008 while another keeps receiving everything", "[security][backpressure]") {
    auto driver = std::make_unique<FakeDriver>(Capabilities{});
    auto* fake = driver.get();
    // Small socket buffers and a short queue so the stall shows after a few dozen events.
    RunningAdapter adapter(R"({"limits": {"client_queue_limit": 8, "socket_send_buffer": 4096}})", std::move(driver));
    WsClient stalled(adapter.port(), with_receive_buffer(4096));
    WsClient reader(adapter.port());
    const auto first_seq = reader.snapshot()["seq"].get<std::uint64_t>();

    constexpr int calls = 150;  // 4 events each (ringing, pop, ended, call log), ~250 KiB in all
    std::uint64_t expected = first_seq;
    for (int i = 0; i < calls; ++i) {
        auto ref = "c" + std::to_string(i);
        fake->emit(offered(ref));
        fake->emit(changed(CallReport::Kind::ended, ref, EndReason::missed));
        for (int e = 0; e < 4; ++e) {  // wait for the reader: this paces the events, no sleeping
            auto event = reader.next_event();
            REQUIRE(event["seq"] == ++expected);
        }
    }
    std::size_t frames = 0;
    CHECK(stalled.read_until_closed(10s, &frames) == 4008);
    CHECK(frames < 4 * calls);
    CHECK(reader.command({{"type", "ping"}})["ok"] == true);
}

TEST_CASE("HTTP: the page the client library health and status and nothing else", "[http]") {
    RunningAdapter adapter(R"({"allowed_origins": ["https://crm.example.com"]})");
    const auto port = adapter.port();

    auto page = http_request(port, "GET", "/");
    CHECK(page.status == 200);
    CHECK(page.headers["content-type"].find("text/html") == 0);
    CHECK(page.headers["content-security-policy"].find("frame-ancestors 'none'") != std::string::npos);
    CHECK(page.body.find("<html") != std::string::npos);
    auto script = http_request(port, "GET", "/cti.js");
    CHECK(script.status == 200);
    CHECK(script.headers["content-type"].find("text/javascript") == 0);
    CHECK(script.body.find("export") != std::string::npos);

    auto health = http_request(port, "GET", "/health");
    CHECK(health.status == 200);
    CHECK(json::parse(health.body)["status"] == "ok");

    auto status = json::parse(http_request(port, "GET", "/status").body);
    CHECK(status["product"] == "cti-adapter");
    CHECK(status["port"] == port);
    CHECK(status["driver"]["name"] == "simulator");
    CHECK(status["driver"]["status"] == "connected");
    CHECK(status["uptime_s"].is_number());
    CHECK(status["clients"] == 0);
    CHECK(status["active_calls"] == 0);
    {
        WsClient client(port);
        client.command({{"type", "simulate"}, {"action", "incoming"}, {"from", "123"}});
        auto busy = json::parse(http_request(port, "GET", "/status").body);
        CHECK(busy["clients"] == 1);
        CHECK(busy["active_calls"] == 1);
    }

    CHECK(http_request(port, "GET", "/nothing-here").status == 404);
    CHECK(http_request(port, "POST", "/status").status == 405);
    CHECK(http_request(port, "GET", "/ws").status == 426);
    CHECK(http_request(port, "GET", "/status", {{"Content-Length", "5"}}, "hello").status == 413);

    SECTION("CORS: an allowed origin gets its own origin back, never *") {
        auto cors = http_request(port, "GET", "/status", {{"Origin", "https://crm.example.com"}});
        CHECK(cors.status == 200);
        CHECK(cors.headers["access-control-allow-origin"] == "https://crm.example.com");
        CHECK(cors.headers["vary"] == "Origin");
        auto preflight = http_request(port, "OPTIONS", "/status", {{"Origin", "https://crm.example.com"}});
        CHECK(preflight.status == 204);
        CHECK(http_request(port, "GET", "/status", {{"Origin", "https://evil.example"}}).status == 403);
        CHECK(http_request(port, "OPTIONS", "/status", {{"Origin", "https://evil.example"}}).status == 403);
    }
}

TEST_CASE("stopping the adapter closes pages with 1001", "[shutdown]") {
    RunningAdapter adapter;
    WsClient client(adapter.port());
    adapter.stop();
    CHECK(client.read_until_closed() == 1001);
}

TEST_CASE("a connection that never finishes its HTTP request is closed after the handshake timeout", "[security][timeouts]") {
    RunningAdapter adapter(R"({"limits": {"handshake_timeout_ms": 100}})");
    boost::asio::io_context io;
    boost::asio::ip::tcp::socket socket(io);
    socket.connect({boost::asio::ip::address_v4::loopback(), adapter.port()});
    boost::asio::write(socket, boost::asio::buffer(std::string("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")));  // never ends
    char byte = 0;
    boost::system::error_code ec;
    // Blocks until the server gives up on us; the server's own timer is what ends it.
    socket.read_some(boost::asio::buffer(&byte, 1), ec);
    CHECK(ec == boost::asio::error::eof);
}

TEST_CASE("a connection that trickles its first request in is dropped after request_timeout_ms, not handshake_timeout_ms",
          "[security][timeouts]") {
    RunningAdapter adapter(R"({"limits": {"request_timeout_ms": 200, "handshake_timeout_ms": 600000}})");
    boost::asio::io_context io;
    boost::asio::ip::tcp::socket socket(io);
    socket.connect({boost::asio::ip::address_v4::loopback(), adapter.port()});
    const auto connected = std::chrono::steady_clock::now();
    boost::asio::write(socket, boost::asio::buffer(std::string("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")));  // never ends
    char byte = 0;
    boost::system::error_code ec;
    socket.read_some(boost::asio::buffer(&byte, 1), ec);  // until the server's timer ends it
    CHECK(ec == boost::asio::error::eof);
    CHECK(std::chrono::steady_clock::now() - connected < std::chrono::seconds(30));
}

TEST_CASE("a page that answers no ping is closed after the idle timeout", "[security][timeouts]") {
    RunningAdapter adapter(R"({"limits": {"idle_timeout_ms": 1000}})");
    WsClient silent(adapter.port());  // reads nothing more, so it never answers the server's ping
    // The server drops the connection (no close frame: the peer is presumed gone).
    CHECK_THROWS_WITH(silent.read_until_closed(std::chrono::seconds(10)),
                      Catch::Contains("waiting for close") && !Catch::Contains("did not close"));
    CHECK(WsClient(adapter.port()).command({{"type", "ping"}})["ok"] == true);
}
