// baresip as a conformance peer: a real baresip (ctrl_tcp on a free port) is the agent's
// softphone; SIPp plays the callers (one process per inbound call) and the far end of the
// agent's dials (one UAS for the whole test, scenario tests/conformance/baresip/callee.xml).
//
// The peer runs baresip itself (the driver in not-managed mode connects to it), so kill() and
// restart() act on the real process. Every process is stopped when the peer goes away.
#include "conformance/baresip_config.hpp"
#include "conformance/peer.hpp"
#include "conformance/sipp_ready.hpp"

#include <catch2/catch.hpp>

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <stdexcept>
#include <thread>

#include "support/child_process.hpp"
#include "support/running_adapter.hpp"
#include "support/ws_client.hpp"

namespace cti::test {
namespace {

namespace fs = std::filesystem;

const std::string scenario_dir = std::string(CTI_CONFORMANCE_DIR) + "/baresip/";

// A port that is free for `type` (SOCK_STREAM or SOCK_DGRAM) now; 0 when it is not.
std::uint16_t bind_port(int type, std::uint16_t port) {
    const int fd = ::socket(AF_INET, type, 0);
    if (fd < 0) return 0;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(port);
    socklen_t length = sizeof address;
    std::uint16_t bound = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), length) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0)
        bound = ntohs(address.sin_port);
    ::close(fd);
    return bound;
}

// Free loopback ports for the peer's processes. The kernel may hand out a port again once the
// probing socket is closed, so the ports given out are remembered and never given twice.
class PortPicker {
public:
    // `count` consecutive ports, each free for UDP and TCP now: SIP uses UDP+TCP on its port
    // and TCP (SIP/TLS) on the next; SIPp uses 4 media ports from -mp on.
    std::uint16_t pick(int count = 1) {
        for (int attempt = 0; attempt < 100; ++attempt) {
            const auto first = bind_port(SOCK_DGRAM, 0);
            if (first == 0 || first > 65535 - count) continue;
            bool usable = true;
            for (int i = 0; i < count && usable; ++i) {
                const auto port = static_cast<std::uint16_t>(first + i);
                usable = !given_.contains(port) && (i == 0 || bind_port(SOCK_DGRAM, port) == port) &&
                         bind_port(SOCK_STREAM, port) == port;
            }
            if (!usable) continue;
            for (int i = 0; i < count; ++i) given_.insert(static_cast<std::uint16_t>(first + i));
            return first;
        }
        throw std::runtime_error("no free loopback ports");
    }

private:
    std::set<std::uint16_t> given_;
};

// SIPp on loopback with its output in a file (it redraws its screen all the time, and nobody
// would read a pipe). `exec` keeps the process id SIPp's own.
std::vector<std::string> sipp_command(const std::vector<std::string>& args, PortPicker& ports,
                                      const std::string& log_file) {
    std::string command = "exec /usr/bin/sipp";
    for (const auto& arg : args) command += " '" + arg + "'";
    command += " -i 127.0.0.1 -mi 127.0.0.1 -mp " + std::to_string(ports.pick(4)) +
               " -nostdin -timeout 60 -timeout_error > '" + log_file + "' 2>&1";
    return {"/bin/sh", "-c", command};
}

std::string make_temp_dir(const std::string& name) {
    std::string pattern = (fs::temp_directory_path() / (name + "-XXXXXX")).string();
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    return pattern;
}

std::string loopback(std::uint16_t port) { return "127.0.0.1:" + std::to_string(port); }

class BaresipPeer final : public Peer {
public:
    ~BaresipPeer() override {
        // Processes first (their destructors kill them), then their files.
        callers_.clear();
        callee_.reset();
        baresip_.reset();
        std::error_code ignored;
        if (!dir_.empty()) fs::remove_all(dir_, ignored);
    }

    void start() override {
        dir_ = make_temp_dir("cti-baresip-peer");
        // The far end first: dials may go out as soon as the adapter is connected.
        callee_port_ = ports_.pick();
        callee_ = std::make_unique<ChildProcess>(sipp({"-sf", scenario_dir + "callee.xml",
                                                       "-p", std::to_string(callee_port_)},
                                                      "callee"));
        wait_until_udp_bound(callee_port_);
        // The ports are free when chosen but may be taken before baresip binds them (by any
        // process's outgoing connection): choose again then.
        for (int attempt = 1;; ++attempt) {
            sip_port_ = ports_.pick(2);
            ctrl_port_ = ports_.pick();
            write_baresip_config();
            if (start_baresip() || attempt == 5) break;
        }
        if (!baresip_) throw std::runtime_error("baresip did not start: " + last_failure_);
    }

    std::string adapter_config() const override {
        // Dials go to the SIPp callee; short retry delays keep the reconnect case quick.
        return R"({"driver": "baresip", "baresip": {"ctrl_address": ")" + loopback(ctrl_port_) +
               R"(", "dial_domain": ")" + loopback(callee_port_) +
               R"(", "reconnect_min_ms": 50, "reconnect_max_ms": 400}})";
    }

    void call_in(const std::string& number, const std::string& name, Caller caller) override {
        const char* scenario = caller == Caller::waits                   ? "caller_waits.xml"
                               : caller == Caller::hangs_up_after_answer ? "caller_hangs_up.xml"
                                                                         : "caller_gives_up.xml";
        call_in_with(scenario, number, name);
    }

    // A caller playing `scenario` (a file in tests/conformance/baresip/), with extra SIPp keys.
    ChildProcess& call_in_with(const std::string& scenario, const std::string& number, const std::string& name,
                               const std::vector<std::string>& extra = {}) {
        std::vector<std::string> args = {"-sf", scenario_dir + scenario, "-key", "caller", number,
                                         "-key", "caller_name", name, "-s", "agent", loopback(sip_port_),
                                         "-p", std::to_string(ports_.pick()), "-m", "1"};
        args.insert(args.end(), extra.begin(), extra.end());
        callers_.push_back(std::make_unique<ChildProcess>(sipp(args, "caller" + std::to_string(callers_.size()))));
        return *callers_.back();
    }

    std::uint16_t ctrl_port() const { return ctrl_port_; }

    std::string answering_number() override { return "5559999"; }
    std::string busy_number() override { return "5550000"; }  // callee.xml answers it 486
    std::string busy_detail() const override { return "486 Busy Here"; }

    void kill() override {
        baresip_->signal(SIGKILL);
        baresip_->wait();
    }

    // On the same ports, which an outgoing connection may hold for a moment (the adapter's own
    // reconnect attempts get ports from the same range): try again until they are free.
    void restart() override {
        for (int attempt = 1; attempt <= 20; ++attempt)
            if (start_baresip()) return;
        throw std::runtime_error("baresip did not restart: " + last_failure_);
    }

private:
    void write_baresip_config() {
        std::ofstream config(fs::path(dir_) / "config");
        config << headless_baresip_config(loopback(sip_port_))
               << "module_app ctrl_tcp.so\n"
                  "ctrl_tcp_listen " << loopback(ctrl_port_) << "\n";
        std::ofstream accounts(fs::path(dir_) / "accounts");
        accounts << "<sip:agent@" << loopback(sip_port_)
                 << ">;regint=0;answermode=manual;audio_codecs=PCMU/8000/1,PCMA/8000/1\n";
    }


    // True once baresip is ready; false (and the process gone) when it could not bind a port.
    bool start_baresip() {
        baresip_ = std::make_unique<ChildProcess>(std::vector<std::string>{"/usr/bin/baresip", "-f", dir_});
        if (baresip_->wait_for_stdout_line("baresip is ready.", std::chrono::seconds(10))) return true;
        baresip_->wait(std::chrono::seconds(5));
        last_failure_ = baresip_->out() + baresip_->err();
        baresip_.reset();
        if (last_failure_.find("Address already in use") == std::string::npos)
            throw std::runtime_error("baresip did not start: " + last_failure_);
        return false;
    }

    std::vector<std::string> sipp(const std::vector<std::string>& args, const std::string& log) {
        return sipp_command(args, ports_, dir_ + "/" + log + ".log");
    }

    PortPicker ports_;
    std::string dir_;
    std::string last_failure_;
    std::uint16_t sip_port_ = 0;
    std::uint16_t ctrl_port_ = 0;
    std::uint16_t callee_port_ = 0;
    std::unique_ptr<ChildProcess> baresip_;
    std::unique_ptr<ChildProcess> callee_;
    std::vector<std::unique_ptr<ChildProcess>> callers_;
};

}  // namespace

CTI_REGISTER_PEER("baresip", BaresipPeer);

// Reads baresip's ctrl_tcp as a plain client until `text` arrives; true if it did in time.
bool ctrl_client_sees(std::uint16_t port, const std::string& text, std::chrono::milliseconds timeout) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(port);
    bool seen = false;
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        std::string received;
        while (!seen) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            pollfd poll_fd{fd, POLLIN, 0};
            if (left.count() <= 0 || ::poll(&poll_fd, 1, static_cast<int>(left.count())) <= 0) break;
            char buffer[4096];
            const auto n = ::read(fd, buffer, sizeof buffer);
            if (n <= 0) break;
            received.append(buffer, static_cast<std::size_t>(n));
            seen = received.find(text) != std::string::npos;
        }
    }
    ::close(fd);
    return seen;
}

// Events sent while no client is connected are lost: a call that is already ringing when the
// driver connects must still pop, with the caller's number and name, and stay controllable.
TEST_CASE("baresip: a call already ringing when the adapter connects pops and can be declined", "[baresip]") {
    BaresipPeer peer;
    peer.start();
    // Another ctrl_tcp client sees the call arrive, then leaves (baresip serves one client).
    peer.call_in("5550008", "Early Bird", Caller::waits);
    REQUIRE(ctrl_client_sees(peer.ctrl_port(), "CALL_INCOMING", std::chrono::seconds(10)));
    RunningAdapter adapter(peer.adapter_config());
    WsClient page(adapter.port());
    nlohmann::json pop;
    for (const auto& call : page.snapshot()["calls"])
        if (call["from"]["number"] == "5550008") pop = call;
    if (pop.is_null()) {
        auto event = page.event_named("screen_pop", std::chrono::seconds(20));
        CHECK(event["caller"]["number"] == "5550008");
        CHECK(event["caller"]["name"] == "Early Bird");
        pop = {{"id", event["call_id"]}};
    } else {
        CHECK(pop["from"]["name"] == "Early Bird");
    }
    auto result = page.command({{"type", "decline"}, {"call_id", pop["id"]}}, std::chrono::seconds(10));
    CHECK(result["ok"] == true);
    auto ended = page.event_named("call.ended", std::chrono::seconds(20));
    CHECK(ended["call"]["id"] == pop["id"]);
    CHECK(ended["reason"] == "rejected");
}

// Managed mode, which the peer above does not use: the adapter starts baresip with its own
// generated config, follows a call through it, and stops it on shutdown.
TEST_CASE("baresip managed mode: the adapter runs baresip, pops its calls and stops it", "[baresip]") {
    PortPicker ports;
    const auto sip_port = ports.pick(2);
    const auto ctrl_port = ports.pick();
    const auto dir = make_temp_dir("cti-baresip-managed");
    const nlohmann::json config = {
        {"driver", "baresip"},
        {"baresip", {{"managed", true}, {"baresip_path", "/usr/bin/baresip"},
                     {"ctrl_address", loopback(ctrl_port)}, {"sip_listen", loopback(sip_port)},
                     {"config_dir", dir + "/baresip"}}}};
    {
        RunningAdapter adapter(config.dump());
        WsClient page(adapter.port());
        while (page.hello()["driver"]["status"] != "connected" &&
               page.event_named("driver.status", std::chrono::seconds(20))["status"] != "connected") {
        }
        std::ifstream accounts(dir + "/baresip/accounts");
        std::string account;
        std::getline(accounts, account);
        CHECK(account == "<sip:agent@" + loopback(sip_port) + ">;regint=0;answermode=manual");

        ChildProcess caller(sipp_command({"-sf", scenario_dir + "caller_gives_up.xml", "-key", "caller", "5550007",
                                          "-key", "caller_name", "Managed Caller", "-s", "agent",
                                          loopback(sip_port), "-p", std::to_string(ports.pick()), "-m", "1"},
                                         ports, dir + "/caller.log"));
        auto pop = page.event_named("screen_pop", std::chrono::seconds(20));
        CHECK(pop["caller"]["number"] == "5550007");
        CHECK(pop["caller"]["name"] == "Managed Caller");
        auto ended = page.event_named("call.ended", std::chrono::seconds(20));
        CHECK(ended["reason"] == "missed");
        adapter.stop();
    }
    // baresip is gone once the adapter has stopped: its SIP port is free again. (Not the
    // control port: its closed connection may linger in TIME_WAIT.)
    CHECK(bind_port(SOCK_DGRAM, sip_port) == sip_port);
    std::error_code ignored;
    fs::remove_all(dir, ignored);
}

// The adapter against the peer's baresip, with a page connected once the driver is connected.
struct BaresipRig {
    BaresipPeer peer;
    std::unique_ptr<RunningAdapter> adapter;
    std::unique_ptr<WsClient> page;

    BaresipRig() {
        peer.start();
        adapter = std::make_unique<RunningAdapter>(peer.adapter_config());
        page = std::make_unique<WsClient>(adapter->port());
        while (page->hello()["driver"]["status"] != "connected" &&
               page->event_named("driver.status", std::chrono::seconds(20))["status"] != "connected") {
        }
    }

    nlohmann::json event(const std::string& name) { return page->event_named(name, std::chrono::seconds(20)); }

    nlohmann::json ok(nlohmann::json command) {
        auto result = page->command(std::move(command), std::chrono::seconds(10));
        INFO(result.dump());
        REQUIRE(result["ok"] == true);
        return result["data"];
    }

    // An inbound call, answered; returns its id.
    nlohmann::json answered_call(const std::string& scenario, const std::string& number,
                                 const std::vector<std::string>& extra = {}) {
        peer.call_in_with(scenario, number, "Caller " + number, extra);
        const auto id = event("screen_pop")["call_id"];
        ok({{"type", "answer"}, {"call_id", id}});
        CHECK(event("call.connected")["call"]["id"] == id);
        return id;
    }
};

// The next event of one of `names` about call `id`, skipping others.
nlohmann::json event_about(BaresipRig& rig, const nlohmann::json& id, const std::set<std::string>& names) {
    for (;;) {
        auto frame = rig.page->next_event(std::chrono::seconds(20));
        if (names.contains(frame.value("name", "")) && frame.contains("call") && frame["call"]["id"] == id) return frame;
    }
}

// The telephone-event codes (RFC 4733: 0-9, 10 = '*', 11 = '#') arriving on a UDP socket, one per
// tone (a tone is sent as several packets), until `count` tones were heard or the time is up.
std::vector<int> tones_heard(int socket_fd, std::size_t count, std::chrono::milliseconds timeout) {
    std::vector<int> tones;
    bool in_tone = false;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (tones.size() < count) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        pollfd poll_fd{socket_fd, POLLIN, 0};
        if (left.count() <= 0 || ::poll(&poll_fd, 1, static_cast<int>(left.count())) <= 0) break;
        unsigned char packet[2048];
        const auto n = ::recv(socket_fd, packet, sizeof packet, 0);
        if (n < 16 || (packet[1] & 0x7f) != 101) continue;  // audio, not a telephone-event
        const bool end = (packet[13] & 0x80) != 0;
        if (!in_tone && !end) tones.push_back(packet[12]);
        in_tone = !end;
    }
    return tones;
}

TEST_CASE("baresip: a blind transfer sends baresip's REFER to the caller, and the call ends normal", "[baresip]") {
    BaresipRig rig;
    // caller_transferred.xml fails unless its REFER names 5550199.
    auto& caller = rig.peer.call_in_with("caller_transferred.xml", "5550011", "Transferee");
    const auto id = rig.event("screen_pop")["call_id"];
    rig.ok({{"type", "answer"}, {"call_id", id}});
    CHECK(rig.event("call.connected")["call"]["id"] == id);
    rig.ok({{"type", "transfer"}, {"call_id", id}, {"to", "5550199"}});
    auto ended = rig.event("call.ended");
    CHECK(ended["call"]["id"] == id);
    CHECK(ended["reason"] == "normal");
    CHECK(caller.wait(std::chrono::seconds(20)) == 0);
}

TEST_CASE("baresip: DTMF goes out as RFC 4733 telephone-events in the call's media", "[baresip]") {
    BaresipRig rig;
    const int media = ::socket(AF_INET, SOCK_DGRAM, 0);
    const auto media_port = bind_port(SOCK_DGRAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(media_port);
    REQUIRE(::bind(media, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    // The caller's SDP offers telephone-events and sends its media address as this socket.
    auto& caller = rig.peer.call_in_with("caller_hears_tones.xml", "5550012", "Listener",
                                         {"-key", "rtp_port", std::to_string(media_port)});
    const auto id = rig.event("screen_pop")["call_id"];
    rig.ok({{"type", "answer"}, {"call_id", id}});
    CHECK(rig.event("call.connected")["call"]["id"] == id);
    rig.ok({{"type", "dtmf"}, {"call_id", id}, {"digits", "4*#"}});
    CHECK(tones_heard(media, 3, std::chrono::seconds(10)) == std::vector<int>{4, 10, 11});
    ::close(media);
    rig.ok({{"type", "hangup"}, {"call_id", id}});
    CHECK(rig.event("call.ended")["reason"] == "normal");
    CHECK(caller.wait(std::chrono::seconds(20)) == 0);
}

TEST_CASE("baresip: a second call while one is connected is followed separately, holds and resumes", "[baresip]") {
    BaresipRig rig;
    const auto first = rig.answered_call("caller_waits.xml", "5550021");
    // The second caller rings while the first is connected.
    rig.peer.call_in_with("caller_waits.xml", "5550022", "Second Caller");
    auto pop = rig.event("screen_pop");
    const auto second = pop["call_id"];
    CHECK(second != first);
    CHECK(pop["caller"]["number"] == "5550022");
    // Answering it holds the first call: one call talks at a time.
    rig.ok({{"type", "answer"}, {"call_id", second}});
    CHECK(event_about(rig, first, {"call.held"})["call"]["state"] == "held");
    CHECK(event_about(rig, second, {"call.connected"})["call"]["state"] == "connected");
    // Back to the first: the second is held, the first resumed.
    rig.ok({{"type", "resume"}, {"call_id", first}});
    CHECK(event_about(rig, second, {"call.held"})["call"]["id"] == second);
    CHECK(event_about(rig, first, {"call.resumed"})["call"]["id"] == first);
    // Hanging up the first: baresip takes the held second call off hold by itself, and the
    // page is told.
    rig.ok({{"type", "hangup"}, {"call_id", first}});
    CHECK(event_about(rig, first, {"call.ended"})["reason"] == "normal");
    CHECK(event_about(rig, second, {"call.resumed"})["call"]["state"] == "connected");
    rig.ok({{"type", "hangup"}, {"call_id", second}});
    CHECK(event_about(rig, second, {"call.ended"})["reason"] == "normal");
}

TEST_CASE("baresip: a second call declined while one is connected ends rejected, the first stays up", "[baresip]") {
    BaresipRig rig;
    const auto first = rig.answered_call("caller_waits.xml", "5550031");
    rig.peer.call_in_with("caller_gives_up.xml", "5550032", "Gives Up");
    const auto missed = rig.event("screen_pop")["call_id"];
    CHECK(event_about(rig, missed, {"call.ended"})["reason"] == "missed");
    rig.peer.call_in_with("caller_waits.xml", "5550033", "Declined");
    const auto declined = rig.event("screen_pop")["call_id"];
    rig.ok({{"type", "decline"}, {"call_id", declined}});
    CHECK(event_about(rig, declined, {"call.ended"})["reason"] == "rejected");
    // The first call is still the one the agent controls.
    rig.ok({{"type", "hold"}, {"call_id", first}});
    CHECK(event_about(rig, first, {"call.held"})["call"]["id"] == first);
    rig.ok({{"type", "hangup"}, {"call_id", first}});
    CHECK(event_about(rig, first, {"call.ended"})["reason"] == "normal");
}

}  // namespace cti::test
