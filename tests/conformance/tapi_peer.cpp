// The emulated TAPI provider as a conformance peer: a real cti-tapi-provider process on a free
// loopback port. The far end of calls is played through the provider's control commands, sent
// on a connection of its own; kill() is SIGKILL, restart() starts it again on the same port.
#include "conformance/peer.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <csignal>
#include <map>
#include <stdexcept>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <thread>

#include "conformance/tapi_baresip_listener.hpp"
#include "support/child_process.hpp"
#include "support/running_adapter.hpp"
#include "support/ws_client.hpp"

namespace cti::test {
namespace {

using nlohmann::json;

// A control client of the provider: one JSON command per line, waits for its CONTROL_REPLY
// (skipping the LINE_* messages every client receives).
class ProviderControl {
public:
    explicit ProviderControl(std::uint16_t port) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (fd_ < 0 || ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
            throw std::runtime_error("cannot connect to the TAPI provider's control port");
    }
    ~ProviderControl() { ::close(fd_); }
    ProviderControl(const ProviderControl&) = delete;
    ProviderControl& operator=(const ProviderControl&) = delete;

    json command(const json& message) {
        auto text = message.dump() + "\n";
        if (::send(fd_, text.data(), text.size(), MSG_NOSIGNAL) !=
            static_cast<ssize_t>(text.size()))
            throw std::runtime_error("cannot send to the TAPI provider");
        for (;;) {
            auto reply = json::parse(read_line());
            if (reply.value("msg", "") != "CONTROL_REPLY") continue;
            if (reply["ok"] != true)
                throw std::runtime_error("provider refused " + message.dump() + ": " +
                                         reply.dump());
            return reply;
        }
    }

private:
    std::string read_line() {
        for (;;) {
            if (auto end = buffer_.find('\n'); end != std::string::npos) {
                auto line = buffer_.substr(0, end);
                buffer_.erase(0, end + 1);
                return line;
            }
            pollfd ready{fd_, POLLIN, 0};
            if (::poll(&ready, 1, 10000) <= 0)
                throw std::runtime_error("no reply from the TAPI provider");
            char chunk[4096];
            auto n = ::recv(fd_, chunk, sizeof chunk, 0);
            if (n <= 0) throw std::runtime_error("the TAPI provider closed the control connection");
            buffer_.append(chunk, static_cast<std::size_t>(n));
        }
    }

    int fd_ = -1;
    std::string buffer_;
};

class TapiPeer final : public Peer {
public:
    explicit TapiPeer(std::vector<std::string> extra_args = {})
        : extra_args_(std::move(extra_args)) {}
    void start() override { launch(0); }
    // A control command of the provider; returns its CONTROL_REPLY.
    json control(const json& command) { return control_->command(command); }

    std::string adapter_config() const override {
        return json{
            {"driver", "tapi"},
            {"tapi", {{"port", port_}, {"reconnect_initial_ms", 50}, {"reconnect_max_ms", 400}}}}
            .dump();
    }

    void call_in(const std::string& number, const std::string& name, Caller caller) override {
        json offer{{"control", "offer"}, {"from", number}, {"name", name}};
        if (caller == Caller::hangs_up_after_answer) offer["hangup_after_answer_ms"] = 50;
        const auto handle = control_->command(offer)["hCall"];
        // The provider sends OFFERING before it handles the hangup, on the same connection to
        // the driver, so the driver always sees the call ring first.
        if (caller == Caller::gives_up)
            control_->command({{"control", "hangup"}, {"call", handle}});
    }

    std::string answering_number() override { return "5559999"; }
    std::string busy_number() override { return "5550000"; }
    std::string busy_detail() const override { return "LINEDISCONNECTMODE_BUSY"; }  // or the busy state's words

    void kill() override {
        control_.reset();
        provider_->signal(SIGKILL);
        provider_->wait();
        provider_.reset();
    }

    void restart() override { launch(port_); }

private:
    void launch(std::uint16_t port) {
        std::vector<std::string> args{
            CTI_TAPI_PROVIDER_EXE, "--port", std::to_string(port), "--busy", busy_number(),
            "--answer-after-ms",   "50"};
        args.insert(args.end(), extra_args_.begin(), extra_args_.end());
        provider_ = std::make_unique<ChildProcess>(args);
        auto line = provider_->wait_for_stdout_line("listening on");
        if (!line) throw std::runtime_error("the TAPI provider did not start: " + provider_->err());
        port_ = static_cast<std::uint16_t>(std::stoi(line->substr(line->rfind(':') + 1)));
        if (with_control_) control_ = std::make_unique<ProviderControl>(port_);
    }

public:
    bool with_control_ = true;  // false: the driver is the provider's first client

private:
    std::vector<std::string> extra_args_;
    std::unique_ptr<ChildProcess> provider_;
    std::unique_ptr<ProviderControl> control_;
    std::uint16_t port_ = 0;
};

}  // namespace

CTI_REGISTER_PEER("tapi", TapiPeer);

}  // namespace cti::test

// ---- Beyond the shared cases: what only the TAPI line does ----

namespace cti::test {
namespace {

// The adapter on the tapi driver with a page connected once the line is up.
struct TapiRig {
    TapiPeer peer;
    std::unique_ptr<RunningAdapter> adapter;
    std::unique_ptr<WsClient> page;

    explicit TapiRig(std::vector<std::string> provider_args = {}, bool with_control = true)
        : peer(std::move(provider_args)) {
        peer.with_control_ = with_control;
        peer.start();
        adapter = std::make_unique<RunningAdapter>(peer.adapter_config());
        page = std::make_unique<WsClient>(adapter->port());
        if (page->hello()["driver"]["status"] != "connected") wait_for_status("connected");
    }

    json wait_for_status(const std::string& status) {
        for (;;) {
            auto event = page->event_named("driver.status", std::chrono::seconds(20));
            if (event["status"] == status) return event;
        }
    }

    json ok(json command) {
        auto result = page->command(std::move(command), std::chrono::seconds(10));
        INFO(result.dump());
        REQUIRE(result["ok"] == true);
        return result["data"];
    }

    json event(const std::string& name) {
        return page->event_named(name, std::chrono::seconds(20));
    }

    // An inbound call that rings, answered by the agent; returns its call_id.
    json answered_call(const std::string& number) {
        peer.call_in(number, "Caller " + number, Caller::waits);
        const auto id = event("screen_pop")["call_id"];
        ok({{"type", "answer"}, {"call_id", id}});
        REQUIRE(event("call.connected")["call"]["id"] == id);
        return id;
    }
};

// A provider stand-in that says whatever a test wants on the driver's socket.
class ScriptedProvider {
public:
    ScriptedProvider() {
        const auto listener = listen_on_loopback();
        listener_ = listener.fd;
        port_ = listener.port;
    }
    ~ScriptedProvider() {
        if (client_ >= 0) ::close(client_);
        ::close(listener_);
    }
    std::uint16_t port() const { return port_; }

    void accept_driver() {
        pollfd ready{listener_, POLLIN, 0};
        if (::poll(&ready, 1, 10000) <= 0) throw std::runtime_error("the driver did not connect");
        client_ = ::accept(listener_, nullptr, nullptr);
    }
    void say(const std::string& text) {
        if (::send(client_, text.data(), text.size(), MSG_NOSIGNAL) !=
            static_cast<ssize_t>(text.size()))
            throw std::runtime_error("cannot write to the driver");
    }

private:
    int listener_ = -1;
    int client_ = -1;
    std::uint16_t port_ = 0;
};

}  // namespace

TEST_CASE("tapi line: hold, resume, DTMF and blind transfer of a connected call",
          "[conformance][tapi]") {
    TapiRig rig;
    const auto id = rig.answered_call("5552001");
    rig.ok({{"type", "hold"}, {"call_id", id}});
    CHECK(rig.event("call.held")["call"]["id"] == id);
    rig.ok({{"type", "resume"}, {"call_id", id}});
    CHECK(rig.event("call.resumed")["call"]["id"] == id);
    CHECK(rig.ok({{"type", "dtmf"}, {"call_id", id}, {"digits", "12#"}})["sent"] == "12#");
    rig.ok({{"type", "transfer"}, {"call_id", id}, {"to", "2002"}});
    auto ended = rig.event("call.ended");
    CHECK(ended["call"]["id"] == id);
    CHECK(ended["reason"] == "normal");
}

TEST_CASE("tapi line: an operation the line refuses fails with the LINEERR code",
          "[conformance][tapi]") {
    TapiRig rig;
    rig.peer.call_in("5552002", "Ringing", Caller::waits);
    const auto id = rig.event("screen_pop")["call_id"];
    // Holding a call that still rings is not allowed by the provider (LINEERR_INVALCALLSTATE);
    // the core may refuse it first: either way the command fails and the call keeps ringing.
    auto result = rig.page->command({{"type", "hold"}, {"call_id", id}}, std::chrono::seconds(10));
    CHECK(result["ok"] == false);
    rig.ok({{"type", "decline"}, {"call_id", id}});
    CHECK(rig.event("call.ended")["reason"] == "rejected");
}

TEST_CASE("tapi line: the far end's disconnect modes become end reasons", "[conformance][tapi]") {
    TapiRig rig;
    auto ring = [&](const std::string& number) {
        auto handle = rig.peer.control({{"control", "offer"}, {"from", number}})["hCall"];
        auto id = rig.event("screen_pop")["call_id"];
        return std::pair{handle, id};
    };
    SECTION("PICKUP while ringing: answered elsewhere") {
        auto [handle, id] = ring("5553001");
        rig.peer.control({{"control", "pickup"}, {"call", handle}});
        auto ended = rig.event("call.ended");
        CHECK(ended["call"]["id"] == id);
        CHECK(ended["reason"] == "answered_elsewhere");
    }
    SECTION("NOANSWER while ringing: missed") {
        auto [handle, id] = ring("5553002");
        rig.peer.control({{"control", "disconnect"}, {"call", handle}, {"mode", "NOANSWER"}});
        CHECK(rig.event("call.ended")["reason"] == "missed");
    }
    SECTION("REJECT while ringing: rejected") {
        auto [handle, id] = ring("5553003");
        rig.peer.control({{"control", "disconnect"}, {"call", handle}, {"mode", "REJECT"}});
        CHECK(rig.event("call.ended")["reason"] == "rejected");
    }
    SECTION("a far end hold and retrieve on a connected call: held, resumed") {
        auto [handle, id] = ring("5553004");
        rig.ok({{"type", "answer"}, {"call_id", id}});
        rig.event("call.connected");
        rig.peer.control({{"control", "state"}, {"call", handle}, {"state", "ONHOLD"}});
        CHECK(rig.event("call.held")["call"]["id"] == id);
        rig.peer.control({{"control", "state"}, {"call", handle}, {"state", "CONNECTED"}});
        CHECK(rig.event("call.resumed")["call"]["id"] == id);
        rig.peer.control({{"control", "disconnect"}, {"call", handle}, {"mode", "TEMPFAILURE"}});
        CHECK(rig.event("call.ended")["reason"] == "normal");
    }
    SECTION("transfer and conference states on a connected call: held, then connected again") {
        auto [handle, id] = ring("5553005");
        rig.ok({{"type", "answer"}, {"call_id", id}});
        rig.event("call.connected");
        rig.peer.control({{"control", "state"}, {"call", handle}, {"state", "ONHOLDPENDTRANSFER"}});
        CHECK(rig.event("call.held")["call"]["id"] == id);
        rig.peer.control({{"control", "state"}, {"call", handle}, {"state", "CONFERENCED"}});
        auto resumed = rig.event("call.resumed");
        CHECK(resumed["call"]["id"] == id);
        CHECK(resumed["call"]["state"] == "connected");
    }
    SECTION("an internal call is reported as internal") {
        rig.peer.control({{"control", "offer"}, {"from", "2002"}, {"internal", true}});
        CHECK(rig.event("screen_pop")["call_type"] == "internal");
    }
}

TEST_CASE("tapi line: a provider script plays calls once the driver is connected",
          "[conformance][tapi]") {
    TapiRig rig({"--script", CTI_CONFORMANCE_DIR "/tapi/missed_call.jsonl"},
                /*with_control=*/false);
    // The script may have run before the page connected: replay the adapter's events from the
    // start.
    rig.ok({{"type", "resume"}, {"epoch", rig.page->hello()["epoch"]}, {"after_seq", 0}});
    auto pop = rig.event("screen_pop");
    CHECK(pop["caller"]["number"] == "5557001");
    CHECK(pop["caller"]["name"] == "Scripted Caller");
    auto ended = rig.event("call.ended");
    CHECK(ended["call"]["id"] == pop["call_id"]);
    CHECK(ended["reason"] == "missed");
}

TEST_CASE("tapi provider: a bad script is refused, naming the line and the field",
          "[conformance][tapi]") {
    ChildProcess provider({CTI_TAPI_PROVIDER_EXE, "--port", "0", "--script",
                           CTI_CONFORMANCE_DIR "/tapi/bad_script.jsonl"});
    CHECK(provider.wait() == 2);
    CHECK_THAT(provider.err(), Catch::Contains("line 3: 'from':"));
    CHECK(provider.out().find("listening") == std::string::npos);
}

TEST_CASE("tapi line: bad provider messages are skipped and the line stays up",
          "[conformance][tapi]") {
    ScriptedProvider provider;
    RunningAdapter adapter(json{{"driver", "tapi"}, {"tapi", {{"port", provider.port()}}}}.dump());
    provider.accept_driver();
    provider.say(R"({"msg":"PROVIDER_INIT","line":{"number":"1001","name":"Agent"}})"
                 "\n");
    WsClient page(adapter.port());
    if (page.hello()["driver"]["status"] != "connected")
        while (page.event_named("driver.status", std::chrono::seconds(10))["status"] !=
               "connected") {
        }
    provider.say(
        "this is not json\n"
        "{\"msg\":\"LINE_DEVSPECIFIC\"}\n"
        "{\"msg\":\"LINE_CALLSTATE\",\"hCall\":\"x\",\"dwCallState\":3}\n"
        "{\"msg\":\"LINE_CALLSTATE\",\"hCall\":\"y\",\"dwCallState\":256}\n"  // CONNECTED first
        "{\"msg\":\"LINE_REPLY\",\"dwRequestID\":999,\"lResult\":0}\n"
        "\n");
    auto status = page.event_named("driver.status", std::chrono::seconds(10));
    CHECK(status["status"] == "connected");
    CHECK_THAT(status["driver"]["detail"].get<std::string>(), Catch::Contains("skipped"));
    provider.say(
        R"({"msg":"LINE_CALLSTATE","hCall":"z","dwCallState":2,"dwOrigin":128,)"
        R"("callerID":{"number":"5554321","name":"Still Works"},"calledID":{"number":"1001"}})"
        "\n");
    auto pop = page.event_named("screen_pop", std::chrono::seconds(10));
    CHECK(pop["caller"]["name"] == "Still Works");
}

TEST_CASE("tapi line: a dial goes DIALTONE, DIALING, PROCEEDING on the line and is one dialing call",
          "[conformance][tapi]") {
    TapiRig rig;
    const auto id = rig.ok({{"type", "dial"}, {"to", "5556001"}})["call_id"];
    auto dialing = rig.event("call.dialing");
    CHECK(dialing["call"]["id"] == id);
    CHECK(rig.event("call.connected")["call"]["id"] == id);
    rig.ok({{"type", "hangup"}, {"call_id", id}});
    CHECK(rig.event("call.ended")["reason"] == "normal");
}

TEST_CASE("tapi line: after a lost connection the provider's calls keep their ids and those gone end driver_lost",
          "[conformance][tapi]") {
    TapiRig rig;
    const auto kept = rig.answered_call("5558001");
    rig.peer.control({{"control", "offer"}, {"from", "5558002"}, {"name", "Still Ringing"}});
    const auto ringing = rig.event("screen_pop")["call_id"];
    const auto gone_handle = rig.peer.control({{"control", "offer"}, {"from", "5558003"}, {"name", "Gone"}})["hCall"];
    const auto gone = rig.event("screen_pop")["call_id"];
    // The provider drops the driver's connection and the third caller hangs up before the
    // driver is back.
    rig.peer.control({{"control", "drop_connections"}, {"end_calls", {gone_handle}}});
    CHECK(rig.wait_for_status("connecting")["driver"]["detail"].get<std::string>().find("reconnecting") != std::string::npos);
    // Back: the call that is gone ends (before or after `connected`); the others are still
    // there under the same ids.
    json ended;
    for (bool connected = false; ended.is_null() || !connected;) {
        auto event = rig.page->next_event(std::chrono::seconds(20));
        if (event["name"] == "call.ended") ended = event;
        if (event["name"] == "driver.status") connected = event["status"] == "connected";
    }
    CHECK(ended["call"]["id"] == gone);
    CHECK(ended["reason"] == "driver_lost");
    rig.ok({{"type", "hold"}, {"call_id", kept}});
    CHECK(rig.event("call.held")["call"]["id"] == kept);
    rig.ok({{"type", "hangup"}, {"call_id", kept}});
    ended = rig.event("call.ended");
    CHECK(ended["call"]["id"] == kept);
    CHECK(ended["reason"] == "normal");
    rig.ok({{"type", "decline"}, {"call_id", ringing}});
    ended = rig.event("call.ended");
    CHECK(ended["call"]["id"] == ringing);
    CHECK(ended["reason"] == "rejected");
}

TEST_CASE("tapi line: calls already on the line when the driver connects pop, in their state",
          "[conformance][tapi]") {
    TapiPeer peer;
    peer.start();
    peer.control({{"control", "offer"}, {"from", "5558101"}, {"name", "Early Ringing"}});
    const auto talking = peer.control({{"control", "offer"}, {"from", "5558102"}, {"name", "Early Talking"}})["hCall"];
    peer.control({{"control", "state"}, {"call", talking}, {"state", "CONNECTED"}});
    RunningAdapter adapter(peer.adapter_config());
    WsClient page(adapter.port());
    // Everything the adapter published, from its first event.
    page.command({{"type", "resume"}, {"epoch", page.hello()["epoch"]}, {"after_seq", 0}}, std::chrono::seconds(10));
    std::map<std::string, json> pops;  // by caller number
    while (pops.size() < 2) {
        auto pop = page.event_named("screen_pop", std::chrono::seconds(20));
        pops[pop["caller"]["number"]] = pop;
    }
    CHECK(pops["5558101"]["caller"]["name"] == "Early Ringing");
    CHECK(pops["5558102"]["caller"]["name"] == "Early Talking");
    CHECK(page.event_named("call.connected", std::chrono::seconds(20))["call"]["id"] == pops["5558102"]["call_id"]);
    auto result = page.command({{"type", "decline"}, {"call_id", pops["5558101"]["call_id"]}}, std::chrono::seconds(10));
    CHECK(result["ok"] == true);
    CHECK(page.event_named("call.ended", std::chrono::seconds(20))["reason"] == "rejected");
}

}  // namespace cti::test
