// Connection, handshake and command limits, the idle timeout, and the /probe endpoint
// (docs/PROTOCOL.md, sections 1.3, 5 and 7; docs/CONFIG.md, 3.2).
#include <catch2/catch.hpp>

#include <algorithm>
#include <future>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio.hpp>
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

#include "pairing/tokens.hpp"
#include "support/fake_driver.hpp"
#include "support/log_capture.hpp"
#include "support/running_adapter.hpp"
#include "support/ws_client.hpp"

using namespace cti;
using namespace cti::test;
using nlohmann::json;

namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;

const std::string crm = "https://crm.example.com";
const std::string crm_token = "limits-test-token-0123456789abcdefghij";

// A config that allows the CRM's origin, with a token preseeded for it (docs/PROTOCOL.md 1.3),
// plus `limits`.
std::string crm_config(const json& limits) {
    return json{{"allowed_origins", {crm}},
                {"pairing", {{"preseeded", {{{"origin", crm}, {"token_sha256", pairing::token_sha256_hex(crm_token)}}}}}},
                {"limits", limits}}
        .dump();
}

// A page of the CRM that authenticates with its preseeded token.
ClientOptions crm_page() { return with_token(crm, crm_token); }


// A WebSocket upgrade as a plain request, so the refusal's headers can be read.
HttpReply upgrade_request(std::uint16_t port, const std::string& origin) {
    return http_request(port, "GET", "/ws",
                        {{"Origin", origin},
                         {"Upgrade", "websocket"},
                         {"Connection", "Upgrade"},
                         {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="},
                         {"Sec-WebSocket-Version", "13"}});
}

// A page that opens the WebSocket and then reads the raw bytes under it: no WebSocket library
// sees them, so nobody answers the server's pings, as with a page whose computer went to sleep.
class SilentPage {
public:
    explicit SilentPage(std::uint16_t port) : socket_(io_) {
        socket_.connect({net::ip::address_v4::loopback(), port});
        const auto host = "127.0.0.1:" + std::to_string(port);
        net::write(socket_, net::buffer("GET /ws HTTP/1.1\r\nHost: " + host + "\r\nOrigin: http://" + host +
                                        "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                        "Sec-WebSocket-Version: 13\r\n\r\n"));
        read_until([this] { return received_.find("\r\n\r\n") != std::string::npos; }, 5s);
        REQUIRE(received_.rfind("HTTP/1.1 101", 0) == 0);
        received_.erase(0, received_.find("\r\n\r\n") + 4);
    }

    // Reads until the server drops the connection; the opcodes of the frames it sent meanwhile.
    std::vector<int> opcodes_until_dropped(std::chrono::milliseconds timeout) {
        read_until([] { return false; }, timeout);
        REQUIRE(dropped_);
        return frame_opcodes(received_);
    }

private:
    static std::vector<int> frame_opcodes(const std::string& bytes) {
        std::vector<int> opcodes;
        std::size_t at = 0;
        while (at + 10 <= bytes.size() || (at + 2 <= bytes.size() && (bytes[at + 1] & 0x7f) < 126)) {
            const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(bytes[at + i]); };
            std::size_t length = byte(1) & 0x7f, header = 2;
            if (length == 126) length = (std::size_t{byte(2)} << 8 | byte(3)), header = 4;
            if (length == 127) {
                length = 0;
                for (std::size_t i = 2; i < 10; ++i) length = length << 8 | byte(i);
                header = 10;
            }
            opcodes.push_back(byte(0) & 0x0f);
            at += header + length;  // server frames are never masked
        }
        return opcodes;
    }

    template <typename Done>
    void read_until(Done done, std::chrono::milliseconds timeout) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (!done() && !dropped_) {
            char chunk[4096];
            bool finished = false;
            socket_.async_read_some(net::buffer(chunk), [&](boost::system::error_code ec, std::size_t n) {
                received_.append(chunk, n);
                dropped_ = static_cast<bool>(ec);
                finished = true;
            });
            io_.restart();
            io_.run_until(deadline);
            if (!finished) FAIL("the server neither sent anything nor dropped the connection in time");
        }
    }

    net::io_context io_;
    tcp::socket socket_;
    std::string received_;
    bool dropped_ = false;
};

}  // namespace

TEST_CASE("over max_connections a new page gets 503 with Retry-After and the pages in keep receiving", "[limits][connections]") {
    auto driver = std::make_unique<FakeDriver>(Capabilities{});
    auto* fake = driver.get();
    RunningAdapter adapter(crm_config({{"max_connections", 2}, {"reserved_connections", 1}}), std::move(driver));
    const auto port = adapter.port();
    WsClient first(port, crm_page());
    WsClient second(port, crm_page());

    CHECK(upgrade_status(port, with_origin(crm)) == 503);
    auto busy = http_request(port, "GET", "/health", {{"Origin", crm}});
    CHECK(busy.status == 503);
    CHECK(busy.headers["retry-after"] == "5");
    CHECK_THAT(busy.body, Catch::Contains("limits.max_connections"));

    // The command line (the adapter's own origin) has a slot kept for it (reserved_connections).
    WsClient command_line(port);
    CHECK(command_line.command({{"type", "ping"}})["ok"] == true);
    CHECK(upgrade_status(port, ClientOptions{}) == 503);

    fake->emit(offered("a"));
    CHECK(first.event_named("call.ringing")["call"]["state"] == "ringing");
    CHECK(second.event_named("call.ringing")["call"]["state"] == "ringing");
}

TEST_CASE("pages that never authenticate hold no connection of max_connections: a paired page and the own page get in",
          "[limits][connections][preauth]") {
    RunningAdapter adapter(crm_config({{"max_connections", 2}, {"reserved_connections", 1}, {"max_unauthenticated", 8}}));
    const auto port = adapter.port();
    std::vector<std::unique_ptr<WsClient>> waiting;
    ClientOptions no_token = with_origin(crm);
    no_token.read_greeting = false;
    for (int i = 0; i < 6; ++i) {  // three times max_connections, none of them authenticating
        waiting.push_back(std::make_unique<WsClient>(port, no_token));
        REQUIRE(waiting.back()->next_frame()["auth"] == "required");
    }
    WsClient paired(port, crm_page());
    WsClient own(port);
    const auto rang = own.command({{"type", "simulate"}, {"action", "incoming"}, {"from", "+14155550123"}});
    REQUIRE(rang["ok"] == true);
    CHECK(paired.event_named("call.ringing")["call"]["id"] == rang["data"]["call_id"]);
    CHECK(own.event_named("call.ringing")["call"]["id"] == rang["data"]["call_id"]);
}

TEST_CASE("HTTP connections kept alive and idle after their answer hold no connection of max_connections",
          "[limits][connections][preauth]") {
    RunningAdapter adapter(crm_config({{"max_connections", 2}, {"reserved_connections", 1}, {"max_unauthenticated", 8}}));
    const auto port = adapter.port();
    net::io_context io;
    std::vector<tcp::socket> idle;
    const auto request = "GET /health HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) + "\r\n\r\n";
    for (int i = 0; i < 4; ++i) {  // more than max_connections and the reserved one together
        auto& socket = idle.emplace_back(io);
        socket.connect({net::ip::address_v4::loopback(), port});
        net::write(socket, net::buffer(request));
        std::string answer;
        net::read_until(socket, net::dynamic_buffer(answer), "}");  // the JSON body's end
        REQUIRE(answer.rfind("HTTP/1.1 200", 0) == 0);
    }  // each stays open, kept alive, asking nothing more
    WsClient paired(port, crm_page());
    WsClient own(port);
    const auto rang = own.command({{"type", "simulate"}, {"action", "incoming"}, {"from", "+14155550123"}});
    REQUIRE(rang["ok"] == true);
    CHECK(paired.event_named("call.ringing")["call"]["id"] == rang["data"]["call_id"]);
    // An idle one may still ask again, and gets its answer.
    net::write(idle.front(), net::buffer(request));
    std::string again;
    net::read_until(idle.front(), net::dynamic_buffer(again), "}");
    CHECK(again.rfind("HTTP/1.1 200", 0) == 0);
}

TEST_CASE("when max_unauthenticated connections wait, the one that waited longest makes way with 1013, logged",
          "[limits][connections][preauth]") {
    LogCapture log;
    RunningAdapter adapter(crm_config({{"max_unauthenticated", 2}}));
    const auto port = adapter.port();
    ClientOptions no_token = with_origin(crm);
    no_token.read_greeting = false;
    WsClient oldest(port, no_token);
    REQUIRE(oldest.next_frame()["auth"] == "required");
    WsClient newer(port, no_token);
    REQUIRE(newer.next_frame()["auth"] == "required");
    WsClient newest(port, no_token);  // the pool is full: the oldest goes
    REQUIRE(newest.next_frame()["auth"] == "required");
    CHECK(oldest.read_until_closed() == 1013);
    CHECK(log.wait_for("limits.max_unauthenticated"));
    // The others may still authenticate.
    newest.send_text(json{{"v", 1}, {"type", "authenticate"}, {"id", "a"}, {"token", crm_token}}.dump());
    CHECK(newest.next_frame()["id"] == "a");
}

TEST_CASE("unauthenticated pages of one origin that fill max_unauthenticated evict their own, not another origin's page",
          "[limits][connections][preauth]") {
    const std::string other = "https://other.example.com";
    const std::string other_token = "limits-test-other-token-0123456789abcdef";
    RunningAdapter adapter(json{{"allowed_origins", {crm, other}},
                                {"pairing", {{"preseeded", {{{"origin", other}, {"token_sha256", pairing::token_sha256_hex(other_token)}}}}}},
                                {"limits", {{"max_unauthenticated", 4}}}}
                               .dump());
    const auto port = adapter.port();
    ClientOptions other_page = with_origin(other);
    other_page.read_greeting = false;
    WsClient second_origin(port, other_page);  // the oldest in the pool
    REQUIRE(second_origin.next_frame()["auth"] == "required");
    ClientOptions no_token = with_origin(crm);
    no_token.read_greeting = false;
    std::vector<std::unique_ptr<WsClient>> flood;
    for (int i = 0; i < 6; ++i) {
        flood.push_back(std::make_unique<WsClient>(port, no_token));
        REQUIRE(flood.back()->next_frame()["auth"] == "required");
    }
    CHECK(flood.front()->read_until_closed() == 1013);  // the flood's oldest made way
    second_origin.send_text(json{{"v", 1}, {"type", "authenticate"}, {"id", "a"}, {"token", other_token}}.dump());
    CHECK(second_origin.next_frame()["id"] == "a");
}

TEST_CASE("a handshake flood gets 429 with Retry-After, logged a few times, and the page in keeps receiving", "[limits][handshakes]") {
    LogCapture log;
    RunningAdapter adapter(R"({"limits": {"handshakes_per_second": 1}})");
    const auto port = adapter.port();
    WsClient page(port);  // takes the one handshake of this second
    const auto own = "http://127.0.0.1:" + std::to_string(port);

    int refused = 0;
    for (int i = 0; i < 30; ++i) {
        auto reply = upgrade_request(port, own);
        if (reply.status == 101) continue;  // a new second's token
        REQUIRE(reply.status == 429);
        CHECK(std::stol(reply.headers["retry-after"]) >= 1);
        ++refused;
    }
    CHECK(refused >= 20);
    // One line for the first refusal, then at most one per 10 s: a flood is not a log flood.
    const auto lines = log.lines_with("with 429");
    CHECK(!lines.empty());
    CHECK(lines.size() <= 2);

    const auto result = page.command({{"type", "simulate"}, {"action", "incoming"}, {"from", "+14155550123"}});
    REQUIRE(result["ok"] == true);
    CHECK(page.event_named("call.ringing")["call"]["id"] == result["data"]["call_id"]);
}

TEST_CASE("a page over commands_per_minute is closed with 4029 and only that page", "[limits][commands]") {
    RunningAdapter adapter(crm_config({{"commands_per_minute", 5}}));
    WsClient offender(adapter.port());
    WsClient bystander(adapter.port(), crm_page());  // another rate key: the CRM's pairing
    for (int i = 0; i < 5; ++i) REQUIRE(offender.command({{"type", "ping"}})["ok"] == true);
    offender.send_text(json{{"v", 1}, {"type", "ping"}, {"id", "sixth"}}.dump());
    CHECK(offender.read_until_closed() == 4029);
    CHECK(bystander.command({{"type", "ping"}})["ok"] == true);
}

TEST_CASE("a page over dials_per_minute is closed with 4029, logged with its origin and not the number", "[limits][dials]") {
    LogCapture log;
    RunningAdapter adapter(crm_config({{"dials_per_minute", 2}, {"commands_per_minute", 100}}));
    WsClient page(adapter.port(), crm_page());
    WsClient bystander(adapter.port(), crm_page());
    for (int i = 0; i < 2; ++i) REQUIRE(page.command({{"type", "dial"}, {"to", "+1 415 555 0187"}})["ok"] == true);
    page.send_text(json{{"v", 1}, {"type", "dial"}, {"id", "third"}, {"to", "+1 415 555 0187"}}.dump());
    CHECK(page.read_until_closed() == 4029);

    const auto lines = log.lines_with("4029");
    REQUIRE(lines.size() == 1);
    CHECK_THAT(lines[0], Catch::Contains(crm) && Catch::Contains("'dial'") &&
                             Catch::Contains("more than 2 dial commands a minute"));
    CHECK_THAT(lines[0], !Catch::Contains("0187") && !Catch::Contains("4155550187"));
    // The adapter's own origin counts apart from the CRM's pairing.
    WsClient own_page(adapter.port());
    CHECK(own_page.command({{"type", "dial"}, {"to", "+14155550188"}})["ok"] == true);
}

namespace {

// Sends `dials` dial commands at once and reads until each has its result or the adapter
// closes the page; returns how many went through, and sets `close_code` (0: still open).
std::size_t dials_through(WsClient& page, int dials, int& close_code) {
    for (int i = 0; i < dials; ++i)
        page.send_text(json{{"v", 1}, {"type", "dial"}, {"id", "d" + std::to_string(i)}, {"to", "+1 415 555 0187"}}.dump());
    std::size_t ok = 0;
    try {
        for (int answered = 0; answered < dials;) {
            const auto frame = page.next_frame(10s);
            if (frame.value("type", "") != "result") continue;
            ++answered;
            if (frame.value("ok", false)) ++ok;
        }
    } catch (const std::exception&) {
        // closed: the results that came before the close are counted
    }
    close_code = page.close_code();
    return ok;
}

}  // namespace

TEST_CASE("parallel connections of one pairing and a reconnect place no more than dials_per_minute in total", "[limits][dials]") {
    constexpr int per_minute = 5;
    // A phone system that takes every dial: only the limit can refuse one.
    RunningAdapter adapter(crm_config({{"dials_per_minute", per_minute}, {"commands_per_minute", 1000}}),
                           std::make_unique<FakeDriver>(Capabilities{Capability::dial}));
    std::vector<std::unique_ptr<WsClient>> pages;
    for (int i = 0; i < 4; ++i) pages.push_back(std::make_unique<WsClient>(adapter.port(), crm_page()));
    std::vector<std::future<std::pair<std::size_t, int>>> outcomes;
    for (auto& page : pages)
        outcomes.push_back(std::async(std::launch::async, [&page] {
            int code = 0;
            const auto ok = dials_through(*page, per_minute, code);
            return std::pair{ok, code};
        }));
    std::size_t placed = 0;
    for (auto& outcome : outcomes) {
        const auto [ok, code] = outcome.get();
        placed += ok;
        // Either all of its dials went through, or it was closed for the limit.
        CHECK((ok == per_minute || code == 4029));
    }
    CHECK(placed == per_minute);

    // Reconnecting finds the count where the closed pages left it.
    WsClient reconnected(adapter.port(), crm_page());
    int code = 0;
    CHECK(dials_through(reconnected, 1, code) == 0);
    CHECK(code == 4029);
}

TEST_CASE("a page closed for dials_per_minute gets the results of the dials it placed before the close", "[limits][dials]") {
    LogCapture log;
    auto driver = std::make_unique<FakeDriver>(Capabilities{Capability::dial});
    driver->hold_answers = true;  // the phone system answers the dials only after the limit is hit
    auto* fake = driver.get();
    RunningAdapter adapter(crm_config({{"dials_per_minute", 2}}), std::move(driver));
    WsClient page(adapter.port(), crm_page());
    for (int i = 0; i < 3; ++i)
        page.send_text(json{{"v", 1}, {"type", "dial"}, {"id", "d" + std::to_string(i)}, {"to", "+1 415 555 0187"}}.dump());
    REQUIRE(fake->next_command());
    REQUIRE(fake->next_command());
    REQUIRE(log.wait_for("closing it with 4029"));  // the third dial went over
    fake->release_held();

    std::vector<json> frames;
    CHECK(page.frames_until_closed(frames) == 4029);
    std::vector<std::string> answered;
    for (const auto& frame : frames)
        if (frame.value("type", "") == "result") answered.push_back(frame.value("id", ""));
    CHECK(answered == std::vector<std::string>{"d0", "d1"});
    CHECK(fake->commands_seen() == 0);  // the third never reached the phone system
}

TEST_CASE("a page that does not answer pings is dropped after idle_timeout_ms, one that answers stays", "[limits][idle]") {
    RunningAdapter adapter(R"({"limits": {"idle_timeout_ms": 1000}})");
    const auto port = adapter.port();
    WsClient answering(port);
    const auto connected = std::chrono::steady_clock::now();
    // Reading is what answers pings; this page does nothing else until the adapter stops.
    auto answering_closed = std::async(std::launch::async, [&] { return answering.read_until_closed(60s); });

    for (int round = 0; round < 2; ++round) {  // two idle periods in a row
        SilentPage silent(port);
        const auto opcodes = silent.opcodes_until_dropped(10s);
        CHECK(std::count(opcodes.begin(), opcodes.end(), 0x9) >= 1);  // it was pinged
        CHECK(std::count(opcodes.begin(), opcodes.end(), 0x8) == 0);  // dropped without a close frame
    }
    CHECK(std::chrono::steady_clock::now() - connected >= 2s);
    adapter.stop();
    CHECK(answering_closed.get() == 1001);  // still open until the adapter shut down
}

TEST_CASE("/probe answers an allowed origin with CORS headers and product and version only", "[limits][probe]") {
    RunningAdapter adapter(R"({"allowed_origins": ["https://crm.example.com"]})");
    auto reply = http_request(adapter.port(), "GET", "/probe", {{"Origin", crm}});
    CHECK(reply.status == 200);
    CHECK(reply.headers["access-control-allow-origin"] == crm);
    CHECK_THAT(reply.headers["vary"], Catch::Contains("Origin"));
    const auto body = json::parse(reply.body);
    CHECK(body == json{{"product", "cti-adapter"}, {"version", body["version"]}});
    CHECK(body["version"].is_string());
}

TEST_CASE("/probe preflight with Access-Control-Request-Private-Network is allowed for an allowed origin", "[limits][probe]") {
    RunningAdapter adapter(R"({"allowed_origins": ["https://crm.example.com"]})");
    auto reply = http_request(adapter.port(), "OPTIONS", "/probe",
                              {{"Origin", crm},
                               {"Access-Control-Request-Method", "GET"},
                               {"Access-Control-Request-Private-Network", "true"}});
    CHECK(reply.status == 204);
    CHECK(reply.headers["access-control-allow-origin"] == crm);
    CHECK(reply.headers["access-control-allow-private-network"] == "true");
    CHECK_THAT(reply.headers["access-control-allow-methods"], Catch::Contains("GET"));
}

TEST_CASE("/probe refuses a foreign origin with 403 and no CORS headers", "[limits][probe]") {
    RunningAdapter adapter(R"({"allowed_origins": ["https://crm.example.com"]})");
    for (const char* method : {"GET", "OPTIONS"}) {
        INFO(method);
        auto reply = http_request(adapter.port(), method, "/probe",
                                  {{"Origin", "https://evil.example"},
                                   {"Access-Control-Request-Method", "GET"},
                                   {"Access-Control-Request-Private-Network", "true"}});
        CHECK(reply.status == 403);
        CHECK(reply.headers.count("access-control-allow-origin") == 0);
        CHECK(reply.headers.count("access-control-allow-private-network") == 0);
    }
}
