// The SIP driver against a real PBX: a throw-away Kamailio (registrar with digest
// authentication and stateful proxy, tests/conformance/sip/kamailio.cfg) on a free loopback
// port, and SIPp (tests/conformance/sip/*.xml) playing the rest of the phone system:
//  * ring-only mode: SIPp callers call the agent's extension; Kamailio forks their INVITEs to
//    the driver, registered as that extension;
//  * monitor mode: Kamailio hands the driver's dialog SUBSCRIBE to a SIPp notifier, which
//    describes one inbound call on the extension's deskphone in dialog-info NOTIFYs.
//
// The driver cannot answer (media stays on the deskphone) and has no click-to-dial yet: the peer
// says so (supports()), and the shared suite in conformance_test.cpp runs the cases that apply
// (the pop, gives up, decline, PBX killed and back) in ring-only mode. This file adds the cases
// specific to SIP: monitor mode, answered elsewhere, authentication, garbage, refresh.
#include <catch2/catch.hpp>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "conformance/peer.hpp"
#include "support/child_process.hpp"
#include "support/running_adapter.hpp"
#include "support/ws_client.hpp"

namespace cti::test {
namespace {

using nlohmann::json;

const std::string scenario_dir = std::string(CTI_CONFORMANCE_DIR) + "/sip";
constexpr const char* agent_extension = "1001";
constexpr const char* agent_password = "agent-secret";  // as in kamailio.cfg

// A loopback UDP port nobody uses right now (the system picks it; we release it for the peer).
std::uint16_t free_udp_port() {
    const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0) throw std::runtime_error("socket failed");
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        ::close(fd);
        throw std::runtime_error("cannot find a free UDP port");
    }
    ::close(fd);
    return ntohs(address.sin_port);
}

std::string shell_quote(const std::string& text) {
    std::string quoted = "'";
    for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return quoted + "'";
}

class SipPeer final : public Peer {
public:
    enum class Mode { ring_only, monitor };
    explicit SipPeer(Mode mode = Mode::ring_only, std::string password = agent_password, int expires_s = 60)
        : mode_(mode), password_(std::move(password)), expires_s_(expires_s) {}

    ~SipPeer() override {
        callers_.clear();
        pbx_.reset();
        std::error_code ignored;
        if (!run_dir_.empty()) std::filesystem::remove_all(run_dir_, ignored);
    }

    void start() override {
        char dir[] = "/tmp/cti-sip-peer-XXXXXX";
        if (!::mkdtemp(dir)) throw std::runtime_error("mkdtemp failed");
        run_dir_ = dir;
        pbx_port_ = free_udp_port();
        notifier_port_ = free_udp_port();
        driver_port_ = free_udp_port();
        start_pbx();
    }

    std::string adapter_config() const override {
        json sip = {{"registrar", "127.0.0.1:" + std::to_string(pbx_port_)},
                    {"user", agent_extension},
                    {"password", password_},
                    {"display_name", "Agent One"},
                    {"local_port", driver_port_},
                    {"mode", mode_ == Mode::ring_only ? "ring_only" : "monitor"},
                    {"expires_s", expires_s_},
                    // Notice a dead PBX within about a second.
                    {"keepalive_ms", 300},
                    {"transaction_timeout_ms", 1000},
                    {"retry_max_ms", 1000}};
        return json{{"driver", "sip"}, {"sip", sip}}.dump();
    }

    // Monitor mode: the notifier starts now, so the driver's SUBSCRIBE, retried until it
    // gets an answer, reaches it once the test is ready for the call (one call per peer).
    void call_in(const std::string& number, const std::string& name, Caller caller) override {
        if (mode_ == Mode::monitor)
            return start_notifier(caller == Caller::gives_up ? "notifier_missed.xml" : "notifier_answered.xml",
                                  number, name);
        call_in_with(caller == Caller::gives_up ? "caller_gives_up.xml" : "caller_waits.xml", number, name);
    }

    // A call the PBX cancels because another device answered it.
    void call_answered_elsewhere(const std::string& number, const std::string& name) {
        call_in_with("caller_answered_elsewhere.xml", number, name);
    }

    // Click-to-dial is not implemented yet: these are never dialled.
    // Ring-only mode can only decline; monitoring cannot even do that (the deskphone rings).
    bool supports(Capability capability) const override {
        return mode_ == Mode::ring_only && capability == Capability::decline;
    }

    std::string answering_number() override { return "5559999"; }
    std::string busy_number() override { return "5550000"; }

    void kill() override {
        pbx_->signal(SIGTERM);  // Kamailio's main process takes its workers down with it
        if (!pbx_->wait(std::chrono::seconds(10))) throw std::runtime_error("kamailio did not stop");
    }

    void restart() override { start_pbx(); }

    std::uint16_t driver_port() const { return driver_port_; }

    // Waits until the PBX logs an accepted REGISTER of the extension; returns the log line.
    std::optional<std::string> next_registration(std::chrono::milliseconds timeout) {
        return pbx_->wait_for_stdout_line("test-pbx: registered", timeout);
    }

    // Waits for the last caller's SIPp to finish; its exit code (0: every expected message came).
    std::optional<int> last_caller_result(std::chrono::milliseconds timeout) {
        return callers_.back()->wait(timeout);
    }

private:
    void start_pbx() {
        const auto notifier = "\"sip:127.0.0.1:" + std::to_string(notifier_port_) + "\"";
        const auto command = "exec /usr/sbin/kamailio -f " + shell_quote(scenario_dir + "/kamailio.cfg") +
                             " -A " + shell_quote("NOTIFIER_URI=" + notifier) +
                             " -l udp:127.0.0.1:" + std::to_string(pbx_port_) + " -DD -E -Y " +
                             shell_quote(run_dir_) + " -P " + shell_quote(run_dir_ + "/kamailio.pid") +
                             " -w " + shell_quote(run_dir_) + " -m 32 -M 8 2>&1";
        pbx_ = std::make_unique<ChildProcess>(std::vector<std::string>{"/bin/sh", "-c", command});
        if (!pbx_->wait_for_stdout_line("test-pbx ready", std::chrono::seconds(10)))
            throw std::runtime_error("kamailio did not start: " + pbx_->out());
    }

    void call_in_with(const std::string& scenario, const std::string& number, const std::string& name) {
        const auto id = std::to_string(callers_.size());
        const auto command =
            "exec /usr/bin/sipp -sf " + shell_quote(scenario_dir + "/" + scenario) + " -key caller " +
            shell_quote(number) + " -key caller_name " + shell_quote(name) + " -s " + agent_extension +
            " 127.0.0.1:" + std::to_string(pbx_port_) + " -p " + std::to_string(free_udp_port()) +
            " -mp " + std::to_string(free_udp_port()) +
            " -i 127.0.0.1 -mi 127.0.0.1 -nostdin -m 1 -timeout 60 -timeout_error > " +
            shell_quote(run_dir_ + "/sipp-" + id + ".log") + " 2>&1";
        callers_.push_back(std::make_unique<ChildProcess>(std::vector<std::string>{"/bin/sh", "-c", command}));
    }

    void start_notifier(const std::string& scenario, const std::string& number, const std::string& name) {
        const auto command =
            "exec /usr/bin/sipp -sf " + shell_quote(scenario_dir + "/" + scenario) + " -key caller " +
            shell_quote(number) + " -key caller_name " + shell_quote(name) + " -s " + agent_extension +
            " -p " + std::to_string(notifier_port_) + " -mp " + std::to_string(free_udp_port()) +
            " -i 127.0.0.1 -mi 127.0.0.1 -nostdin -m 1 -timeout 60 -timeout_error > " +
            shell_quote(run_dir_ + "/notifier.log") + " 2>&1";
        callers_.push_back(std::make_unique<ChildProcess>(std::vector<std::string>{"/bin/sh", "-c", command}));
    }

    Mode mode_;
    std::string password_;
    int expires_s_;
    std::uint16_t notifier_port_ = 0;
    std::uint16_t driver_port_ = 0;
    std::string run_dir_;
    std::uint16_t pbx_port_ = 0;
    std::unique_ptr<ChildProcess> pbx_;
    std::vector<std::unique_ptr<ChildProcess>> callers_;
};

// A UDP socket on loopback that sends raw datagrams to the driver and reads its answers.
class UdpProbe {
public:
    explicit UdpProbe(std::uint16_t target_port) {
        fd_ = ::socket(AF_INET, SOCK_DGRAM, 0);
        sockaddr_in local{};
        local.sin_family = AF_INET;
        local.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0)
            throw std::runtime_error("cannot open the probe socket");
        socklen_t length = sizeof local;
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&local), &length);
        port_ = ntohs(local.sin_port);
        target_.sin_family = AF_INET;
        target_.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        target_.sin_port = htons(target_port);
    }
    ~UdpProbe() { ::close(fd_); }
    UdpProbe(const UdpProbe&) = delete;
    UdpProbe& operator=(const UdpProbe&) = delete;

    std::uint16_t port() const { return port_; }

    void send(const std::string& datagram) {
        ::sendto(fd_, datagram.data(), datagram.size(), 0, reinterpret_cast<const sockaddr*>(&target_),
                 sizeof target_);
    }

    // The next datagram, or "" when none comes within the timeout.
    std::string receive(std::chrono::milliseconds timeout) {
        pollfd ready{fd_, POLLIN, 0};
        if (::poll(&ready, 1, static_cast<int>(timeout.count())) <= 0) return {};
        char buffer[65536];
        const auto size = ::recv(fd_, buffer, sizeof buffer, 0);
        return size > 0 ? std::string(buffer, static_cast<std::size_t>(size)) : std::string();
    }

    // An out-of-dialog request from this socket.
    std::string request(const std::string& method, const std::string& call_id, const std::string& extra = {}) const {
        const auto self = "127.0.0.1:" + std::to_string(port_);
        return method + " sip:" + agent_extension + "@127.0.0.1 SIP/2.0\r\n"
               "Via: SIP/2.0/UDP " + self + ";branch=z9hG4bK" + call_id + "\r\n"
               "From: <sip:probe@" + self + ">;tag=probe\r\n"
               "To: <sip:" + agent_extension + "@127.0.0.1>\r\n"
               "Call-ID: " + call_id + "\r\n"
               "CSeq: 1 " + method + "\r\n"
               "Max-Forwards: 70\r\n" + extra + "Content-Length: 0\r\n\r\n";
    }

private:
    int fd_ = -1;
    std::uint16_t port_ = 0;
    sockaddr_in target_{};
};

// The adapter in ring-only mode against the peer, with a page connected.
struct SipRig {
    std::unique_ptr<SipPeer> peer;
    std::unique_ptr<RunningAdapter> adapter;
    std::unique_ptr<WsClient> page;

    explicit SipRig(std::unique_ptr<SipPeer> peer_in = std::make_unique<SipPeer>()) : peer(std::move(peer_in)) {
        peer->start();
        adapter = std::make_unique<RunningAdapter>(peer->adapter_config());
        peer->adapter_started(adapter->port());
        page = std::make_unique<WsClient>(adapter->port());
    }

    // Waits until the driver reports `status` (the greeting counts the first time); returns
    // the status detail.
    std::string wait_for_driver(const std::string& status) {
        const bool first = !waited_;
        waited_ = true;
        if (first && page->hello()["driver"]["status"] == status)
            return page->hello()["driver"]["detail"].get<std::string>();
        for (;;) {
            auto event = page->event_named("driver.status", std::chrono::seconds(20));
            if (event["status"] == status) return event["driver"]["detail"].get<std::string>();
        }
    }

    json ok(json command) {
        auto result = page->command(std::move(command), std::chrono::seconds(10));
        INFO(result.dump());
        REQUIRE(result["ok"] == true);
        return result["data"];
    }

    json event(const std::string& name) { return page->event_named(name, std::chrono::seconds(20)); }

private:
    bool waited_ = false;
};

}  // namespace

TEST_CASE("sip: a ringing call the PBX cancels with Reason cause=200 ends answered_elsewhere", "[conformance][sip]") {
    SipRig rig;
    rig.wait_for_driver("connected");
    rig.peer->call_answered_elsewhere("5550007", "Picked Up");
    const auto id = rig.event("screen_pop")["call_id"];
    auto ended = rig.event("call.ended");
    CHECK(ended["call"]["id"] == id);
    CHECK(ended["reason"] == "answered_elsewhere");
}

TEST_CASE("sip: a wrong password leaves the driver disconnected with the reason", "[conformance][sip]") {
    SipRig rig(std::make_unique<SipPeer>(SipPeer::Mode::ring_only, "wrong-password"));
    const auto detail = rig.wait_for_driver("disconnected");
    INFO(detail);
    CHECK(detail.find("refused the credentials") != std::string::npos);
}

}  // namespace cti::test

namespace cti::test {

TEST_CASE("sip monitor: a call on the deskphone pops with number and name, connects when answered there and ends normal", "[conformance][sip]") {
    SipRig rig(std::make_unique<SipPeer>(SipPeer::Mode::monitor));
    rig.peer->call_in("5551234", "Alice Caller", Caller::hangs_up_after_answer);
    auto ringing = rig.event("call.ringing");
    CHECK(ringing["call"]["direction"] == "inbound");
    auto pop = rig.event("screen_pop");
    CHECK(pop["caller"]["number"] == "5551234");
    CHECK(pop["caller"]["name"] == "Alice Caller");
    const auto id = pop["call_id"];
    CHECK(rig.event("call.connected")["call"]["id"] == id);
    auto ended = rig.event("call.ended");
    CHECK(ended["call"]["id"] == id);
    CHECK(ended["reason"] == "normal");
    CHECK(rig.peer->last_caller_result(std::chrono::seconds(10)).value_or(-1) == 0);  // every NOTIFY got its 200
}

TEST_CASE("sip monitor: a call the caller gives up while the deskphone rings is missed", "[conformance][sip]") {
    SipRig rig(std::make_unique<SipPeer>(SipPeer::Mode::monitor));
    rig.peer->call_in("5550003", "Abandoner", Caller::gives_up);
    const auto id = rig.event("screen_pop")["call_id"];
    auto ended = rig.event("call.ended");
    CHECK(ended["call"]["id"] == id);
    CHECK(ended["reason"] == "missed");
}

}  // namespace cti::test

namespace cti::test {

TEST_CASE("sip: garbage and malformed SIP sent to the driver are skipped, and it keeps working", "[conformance][sip]") {
    SipRig rig;
    rig.wait_for_driver("connected");
    UdpProbe probe(rig.peer->driver_port());
    probe.send("\r\n\r\n");                                       // a keepalive
    probe.send("this is not SIP\r\n\r\n");
    probe.send(std::string(1500, '\xff'));
    probe.send("INVITE sip:1001@127.0.0.1 SIP/2.0\r\nVia: nonsense\r\n\r\n");  // no From, To, Call-ID, CSeq
    probe.send(probe.request("NOTIFY", "unknown-subscription", "Event: dialog\r\n"));
    CHECK(probe.receive(std::chrono::seconds(5)).rfind("SIP/2.0 481", 0) == 0);  // no such subscription
    // Datagrams are handled in order: the answer to this OPTIONS shows all of the above was read.
    probe.send(probe.request("OPTIONS", "probe-options"));
    CHECK(probe.receive(std::chrono::seconds(5)).rfind("SIP/2.0 200", 0) == 0);

    rig.peer->call_in("5550009", "Still Here", Caller::gives_up);
    const auto pop = rig.event("screen_pop");
    CHECK(pop["caller"]["number"] == "5550009");
    CHECK(rig.event("call.ended")["reason"] == "missed");
    WsClient second_page(rig.adapter->port());
    CHECK(second_page.hello()["driver"]["status"] == "connected");
}

}  // namespace cti::test

namespace cti::test {

TEST_CASE("sip: the registration is refreshed before it expires", "[conformance][sip]") {
    SipRig rig(std::make_unique<SipPeer>(SipPeer::Mode::ring_only, agent_password, 10));
    rig.wait_for_driver("connected");
    auto first = rig.peer->next_registration(std::chrono::seconds(5));
    REQUIRE(first);
    CHECK(first->find("registered 1001 for 10 s") != std::string::npos);
    const auto started = std::chrono::steady_clock::now();
    // Granted 10 s, the driver renews at half time: well before the binding would lapse.
    REQUIRE(rig.peer->next_registration(std::chrono::seconds(9)));
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(9));
    rig.peer->call_in("5550010", "After Refresh", Caller::gives_up);
    CHECK(rig.event("screen_pop")["caller"]["number"] == "5550010");
}

CTI_REGISTER_PEER("sip", SipPeer);

}  // namespace cti::test
