// Bad input from baresip's side is logged and skipped, never fatal (issue 3, "every driver").
// A stand-in for ctrl_tcp on a loopback port says what the test wants: frames that are not
// JSON, events nobody knows, and a broken netstring.
#include <catch2/catch.hpp>

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

#include "conformance/tapi_baresip_listener.hpp"
#include "support/running_adapter.hpp"
#include "support/ws_client.hpp"

namespace cti::test {
namespace {

using nlohmann::json;

std::string netstring(const std::string& payload) { return std::to_string(payload.size()) + ":" + payload + ","; }

// Serves one ctrl_tcp client at a time: answers its commands like baresip with no calls.
class ScriptedCtrlTcp {
public:
    ScriptedCtrlTcp() {
        const auto listener = listen_on_loopback();
        listener_ = listener.fd;
        port_ = listener.port;
    }
    ~ScriptedCtrlTcp() {
        if (client_ >= 0) ::close(client_);
        ::close(listener_);
    }
    std::uint16_t port() const { return port_; }

    // Accepts the driver and answers the commands it sends on connecting (reginfo, listcalls).
    void serve_connect() {
        pollfd ready{listener_, POLLIN, 0};
        if (::poll(&ready, 1, 10000) <= 0) throw std::runtime_error("the driver did not connect");
        if (client_ >= 0) ::close(client_);
        client_ = ::accept(listener_, nullptr, nullptr);
        received_.clear();
        for (int answered = 0; answered < 2; ++answered) {
            auto command = next_command();
            const std::string data = command["command"] == "reginfo"
                                         ? "\n--- User Agents (1) ---\n> sip:agent@127.0.0.1:5062 \n\n"
                                         : "\n--- Active calls (0) ---\n\n";
            say(netstring(json{{"response", true}, {"ok", true}, {"data", data}, {"token", command["token"]}}.dump()));
        }
    }

    void say(const std::string& bytes) {
        if (::send(client_, bytes.data(), bytes.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(bytes.size()))
            throw std::runtime_error("cannot write to the driver");
    }

private:
    json next_command() {
        for (;;) {
            const auto colon = received_.find(':');
            if (colon != std::string::npos) {
                const auto length = std::stoul(received_.substr(0, colon));
                if (received_.size() >= colon + length + 2) {
                    auto command = json::parse(received_.substr(colon + 1, length));
                    received_.erase(0, colon + length + 2);
                    return command;
                }
            }
            pollfd ready{client_, POLLIN, 0};
            char buffer[4096];
            if (::poll(&ready, 1, 10000) <= 0) throw std::runtime_error("the driver sent no command");
            const auto n = ::recv(client_, buffer, sizeof buffer, 0);
            if (n <= 0) throw std::runtime_error("the driver went away");
            received_.append(buffer, static_cast<std::size_t>(n));
        }
    }

    int listener_ = -1;
    int client_ = -1;
    std::uint16_t port_ = 0;
    std::string received_;
};

json status_event(WsClient& page) { return page.event_named("driver.status", std::chrono::seconds(10)); }

}  // namespace

TEST_CASE("baresip: bad frames are skipped, a broken netstring only costs a reconnect", "[baresip]") {
    ScriptedCtrlTcp baresip;
    RunningAdapter adapter(json{{"driver", "baresip"},
                                {"baresip", {{"ctrl_address", "127.0.0.1:" + std::to_string(baresip.port())},
                                             {"reconnect_min_ms", 50}, {"reconnect_max_ms", 100}}}}
                               .dump());
    baresip.serve_connect();
    WsClient page(adapter.port());
    if (page.hello()["driver"]["status"] != "connected")
        while (status_event(page)["status"] != "connected") {
        }

    // Not JSON, and JSON that is neither event nor response: ignored, and the status says so.
    baresip.say(netstring("notjson!") + netstring(R"({"foo":"bar"})"));
    auto status = status_event(page);
    CHECK(status["status"] == "connected");
    CHECK_THAT(status["driver"]["detail"].get<std::string>(), Catch::Contains("ignored"));
    // An event of a type nobody knows changes nothing; the next call still pops.
    baresip.say(netstring(R"({"event":true,"type":"CALL_SOMETHING_NEW","class":"call","id":"x-1"})") +
                netstring(R"({"event":true,"type":"CALL_INCOMING","class":"call","direction":"incoming",)"
                          R"("peeruri":"sip:5559100@127.0.0.1:5070","peerdisplayname":"After Junk","id":"c-1"})"));
    auto pop = page.event_named("screen_pop", std::chrono::seconds(10));
    CHECK(pop["caller"]["number"] == "5559100");
    CHECK(pop["caller"]["name"] == "After Junk");

    // A broken netstring loses the framing: the driver drops the connection (the call ends
    // driver_lost), reconnects and rebuilds its state.
    baresip.say("12x:{},");
    auto ended = page.event_named("call.ended", std::chrono::seconds(10));
    CHECK(ended["reason"] == "driver_lost");
    baresip.serve_connect();
    while (status_event(page)["status"] != "connected") {
    }
    baresip.say(netstring(R"({"event":true,"type":"CALL_INCOMING","class":"call","direction":"incoming",)"
                          R"("peeruri":"sip:5559101@127.0.0.1:5070","peerdisplayname":"Back","id":"c-2"})"));
    CHECK(page.event_named("screen_pop", std::chrono::seconds(10))["caller"]["number"] == "5559101");
}

}  // namespace cti::test
