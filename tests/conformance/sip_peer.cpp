// The SIP driver against a real PBX: a throw-away Kamailio (registrar with digest
// authentication and stateful proxy, tests/conformance/sip/kamailio.cfg) on a free loopback
// port (UDP and TCP), and SIPp (tests/conformance/sip/*.xml) playing the rest of the phone
// system:
//  * ring-only mode: SIPp callers call the agent's extension; Kamailio forks their INVITEs to
//    the driver, registered as that extension;
//  * monitor mode: Kamailio hands the driver's dialog SUBSCRIBE to a SIPp notifier, which
//    describes one inbound call on the extension's deskphone in dialog-info NOTIFYs;
//  * click-to-dial: a SIPp deskphone registers the extension too; the driver's INVITE reaches
//    it through Kamailio, it auto-answers, takes the REFER, calls the number through Kamailio
//    to a SIPp far end (5550000 busy, other numbers answer) and reports that call in sipfrag
//    NOTIFYs.
//
// The driver cannot answer (media stays on the deskphone): the peer says so (supports()). The
// shared suite in conformance_test.cpp runs everything else in ring-only mode with
// click-to-dial, over UDP ("sip") and over TCP ("sip-tcp"). This file adds the cases specific to
// SIP: monitor mode, answered elsewhere, authentication, garbage, refresh, the phone refusing or
// not answering a click-to-dial call, the monitor's registration without a contact, and a
// broken TCP stream.
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
#include "conformance/sipp_ready.hpp"
#include "conformance/rig.hpp"
#include "support/child_process.hpp"

namespace cti::test {
namespace {

using nlohmann::json;

const std::string scenario_dir = std::string(CTI_CONFORMANCE_DIR) + "/sip";
constexpr const char* agent_extension = "1001";
constexpr const char* agent_password = "agent-secret";  // as in kamailio.cfg

// Binds a loopback socket of `type` to `port` (0: any); returns the bound port, 0 on failure.
std::uint16_t bind_loopback(int type, std::uint16_t port) {
    const int fd = ::socket(AF_INET, type, 0);
    if (fd < 0) throw std::runtime_error("socket failed");
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(port);
    socklen_t length = sizeof address;
    const bool bound = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
                       ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
    ::close(fd);
    return bound ? ntohs(address.sin_port) : 0;
}

// A loopback UDP port nobody uses right now (the system picks it; we release it for the peer).
std::uint16_t free_udp_port() {
    const auto port = bind_loopback(SOCK_DGRAM, 0);
    if (port == 0) throw std::runtime_error("cannot find a free UDP port");
    return port;
}

// A port free for both UDP and TCP (the PBX listens on both).
std::uint16_t free_udp_and_tcp_port() {
    for (int attempt = 0; attempt < 100; ++attempt) {
        const auto port = free_udp_port();
        if (bind_loopback(SOCK_STREAM, port) == port) return port;
    }
    throw std::runtime_error("cannot find a port free for UDP and TCP");
}

std::string shell_quote(const std::string& text) {
    std::string quoted = "'";
    for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return quoted + "'";
}

// How the adapter is set up against the peer.
struct SipSetup {
    enum class Mode { ring_only, monitor };
    Mode mode = Mode::ring_only;
    std::string password = agent_password;
    int expires_s = 60;
    bool tcp = false;
    bool click_to_dial = true;
    int answer_timeout_ms = 15000;
};

class SipPeer : public Peer {
public:
    using Mode = SipSetup::Mode;
    explicit SipPeer(SipSetup setup = {}) : setup_(std::move(setup)) {}

    ~SipPeer() override {
        callers_.clear();
        deskphone_.reset();
        far_end_.reset();
        pbx_.reset();
        // CTI_TEST_KEEP_SIP_LOGS=1 keeps the Kamailio and SIPp logs for a look after a failure.
        std::error_code ignored;
        if (!run_dir_.empty() && !std::getenv("CTI_TEST_KEEP_SIP_LOGS"))
            std::filesystem::remove_all(run_dir_, ignored);
    }

    void start() override {
        char dir[] = "/tmp/cti-sip-peer-XXXXXX";
        if (!::mkdtemp(dir)) throw std::runtime_error("mkdtemp failed");
        run_dir_ = dir;
        pbx_port_ = free_udp_and_tcp_port();
        notifier_port_ = free_udp_port();
        driver_port_ = free_udp_port();
        deskphone_port_ = free_udp_port();
        far_end_port_ = free_udp_port();
        start_pbx();
    }

    std::string adapter_config() const override {
        json sip = {{"registrar", "127.0.0.1:" + std::to_string(pbx_port_)},
                    {"user", agent_extension},
                    {"password", setup_.password},
                    {"display_name", "Agent One"},
                    {"local_port", setup_.tcp ? 0 : driver_port_},
                    {"mode", setup_.mode == Mode::ring_only ? "ring_only" : "monitor"},
                    {"transport", setup_.tcp ? "tcp" : "udp"},
                    {"expires_s", setup_.expires_s},
                    // Notice a dead PBX within a few seconds, yet give a PBX or phone on a
                    // loaded test machine time to answer each request (a lost answer
                    // would end a click-to-dial call "failed").
                    {"keepalive_ms", 300},
                    {"transaction_timeout_ms", 3000},
                    {"retry_max_ms", 1000}};
        // The PBX listens on a free port: the phone's URI must name it.
        const auto phone =
            "sip:" + std::string(agent_extension) + "@127.0.0.1:" + std::to_string(pbx_port_);
        if (setup_.click_to_dial)
            sip["click_to_dial"] = {{"enabled", true},
                                    {"phone_uri", phone},
                                    {"answer_timeout_ms", setup_.answer_timeout_ms}};
        return json{{"driver", "sip"}, {"sip", sip}}.dump();
    }

    // Monitor mode: the notifier starts now, so the driver's SUBSCRIBE, retried until it
    // gets an answer, reaches it once the test is ready for the call (one call per peer).
    void call_in(const std::string& number, const std::string& name, Caller caller) override {
        if (setup_.mode == Mode::monitor)
            return start_notifier(caller == Caller::gives_up ? "notifier_missed.xml" : "notifier_answered.xml",
                                  number, name);
        call_in_with(caller == Caller::gives_up ? "caller_gives_up.xml" : "caller_waits.xml", number, name);
    }

    // A call the PBX cancels because another device answered it.
    void call_answered_elsewhere(const std::string& number, const std::string& name) {
        call_in_with("caller_answered_elsewhere.xml", number, name);
    }

    // Ring-only mode can decline; monitoring cannot even do that (the deskphone rings). Dialling
    // and hanging up what was dialled need click-to-dial. Nothing answers: media stays on the
    // deskphone.
    bool supports(Capability capability) const override {
        if (capability == Capability::decline) return setup_.mode == Mode::ring_only;
        if (capability == Capability::dial || capability == Capability::hangup)
            return setup_.click_to_dial;
        return false;
    }

    // The deskphone answers the driver's INVITE and calls the number it is referred to; the far
    // end (the baresip peer's callee scenario, the same part to play) is busy for 5550000 and
    // answers any other number.
    std::string answering_number() override {
        start_far_end();
        start_deskphone("deskphone.xml");
        return "5559999";
    }
    std::string busy_number() override {
        start_far_end();
        start_deskphone("deskphone.xml");
        return "5550000";
    }

    void start_far_end() {
        far_end_ = sipp("../baresip/callee.xml", "-p " + std::to_string(far_end_port_), "far-end");
        wait_until_udp_bound(far_end_port_);  // else the PBX may fail the first INVITE at once
    }

    // The deskphone (registered for the extension) plays one click-to-dial call with `scenario`.
    void start_deskphone(const std::string& scenario) {
        register_deskphone();
        deskphone_ =
            sipp(scenario,
                 "-s " + std::string(agent_extension) + " -p " + std::to_string(deskphone_port_),
                 "deskphone");
        wait_until_udp_bound(deskphone_port_);
    }

    // The deskphone's SIPp exit code (0: every message it expected came, e.g. the auto-answer
    // header in the INVITE, the REFER, the BYE).
    std::optional<int> deskphone_result(std::chrono::milliseconds timeout) {
        return deskphone_->wait(timeout);
    }

    // A caller whose INVITE to the extension gets 404 from the PBX (no contact registered).
    void call_unreachable_extension() {
        callers_.push_back(sipp("caller_unreachable.xml",
                                "-key caller 5550011 -key caller_name Nobody -s " +
                                    std::string(agent_extension) +
                                    " 127.0.0.1:" + std::to_string(pbx_port_) + " -p " +
                                    std::to_string(free_udp_port()),
                                "unreachable"));
    }

    void kill() override {
        pbx_->signal(SIGTERM);  // Kamailio's main process takes its workers down with it
        if (!pbx_->wait(std::chrono::seconds(10))) throw std::runtime_error("kamailio did not stop");
    }

    void restart() override { start_pbx(); }

    std::uint16_t driver_port() const { return driver_port_; }
    std::uint16_t pbx_port() const { return pbx_port_; }

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
        const auto far_end = "\"sip:127.0.0.1:" + std::to_string(far_end_port_) + "\"";
        const auto command =
            "exec /usr/sbin/kamailio -f " + shell_quote(scenario_dir + "/kamailio.cfg") + " -A " +
            shell_quote("NOTIFIER_URI=" + notifier) + " -A " +
            shell_quote("FAR_END_URI=" + far_end) +
            " -l udp:127.0.0.1:" + std::to_string(pbx_port_) +
            " -l tcp:127.0.0.1:" + std::to_string(pbx_port_) + " -DD -E -Y " +
            shell_quote(run_dir_) + " -P " + shell_quote(run_dir_ + "/kamailio.pid") + " -w " +
            shell_quote(run_dir_) + " -m 32 -M 8 2>&1";
        pbx_ = std::make_unique<ChildProcess>(std::vector<std::string>{"/bin/sh", "-c", command});
        if (!pbx_->wait_for_stdout_line("test-pbx ready", std::chrono::seconds(10)))
            throw std::runtime_error("kamailio did not start: " + pbx_->out());
    }

    void call_in_with(const std::string& scenario, const std::string& number, const std::string& name) {
        callers_.push_back(sipp(scenario,
                                caller_keys(number, name) +
                                    " 127.0.0.1:" + std::to_string(pbx_port_) + " -p " +
                                    std::to_string(free_udp_port()),
                                "caller-" + std::to_string(callers_.size())));
    }

    void start_notifier(const std::string& scenario, const std::string& number, const std::string& name) {
        callers_.push_back(sipp(scenario,
                                caller_keys(number, name) + " -p " + std::to_string(notifier_port_),
                                "notifier"));
    }

    static std::string caller_keys(const std::string& number, const std::string& name) {
        return "-key caller " + shell_quote(number) + " -key caller_name " + shell_quote(name) +
               " -s " + agent_extension;
    }

    // SIPp with one of the scenarios, for one call, its output in the run dir as `log_name`.log.
    std::unique_ptr<ChildProcess> sipp(const std::string& scenario, const std::string& arguments,
                                       const std::string& log_name) const {
        const auto command =
            "exec /usr/bin/sipp -sf " + shell_quote(scenario_dir + "/" + scenario) + " " +
            arguments + " -mp " + std::to_string(free_udp_port()) +
            " -i 127.0.0.1 -mi 127.0.0.1 -nostdin -m 1 -timeout 60 -timeout_error" +
            " -trace_msg -message_file " +
            shell_quote(run_dir_ + "/" + log_name + "-messages.log") + " > " +
            shell_quote(run_dir_ + "/" + log_name + ".log") + " 2>&1";
        return std::make_unique<ChildProcess>(std::vector<std::string>{"/bin/sh", "-c", command});
    }

    // Once per peer: the deskphone's contact (its SIPp port) is bound to the extension, next to
    // the driver's in ring-only mode.
    void register_deskphone() {
        if (deskphone_registered_) return;
        auto registration =
            sipp("deskphone_registers.xml",
                 "-key expires 600 -s " + std::string(agent_extension) + " -au " + agent_extension +
                     " -ap " + agent_password + " 127.0.0.1:" + std::to_string(pbx_port_) + " -p " +
                     std::to_string(deskphone_port_),
                 "deskphone-register");
        if (registration->wait(std::chrono::seconds(10)).value_or(-1) != 0)
            throw std::runtime_error("the deskphone could not register at the PBX");
        deskphone_registered_ = true;
    }

    SipSetup setup_;
    std::uint16_t notifier_port_ = 0;
    std::uint16_t driver_port_ = 0;
    std::uint16_t deskphone_port_ = 0;
    std::uint16_t far_end_port_ = 0;
    bool deskphone_registered_ = false;
    std::string run_dir_;
    std::uint16_t pbx_port_ = 0;
    std::unique_ptr<ChildProcess> pbx_;
    std::unique_ptr<ChildProcess> deskphone_;
    std::unique_ptr<ChildProcess> far_end_;
    std::vector<std::unique_ptr<ChildProcess>> callers_;
};

// The shared suite once more, with the driver talking TCP to the PBX.
class SipTcpPeer final : public SipPeer {
public:
    SipTcpPeer() : SipPeer(SipSetup{.tcp = true}) {}
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

// A TCP "PBX" the test controls byte by byte: it accepts the driver's connection, reads its
// requests and writes whatever the test says (including what no PBX should).
class TcpPbxProbe {
public:
    TcpPbxProbe() {
        listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in local{};
        local.sin_family = AF_INET;
        local.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof local;
        if (listener_ < 0 ||
            ::bind(listener_, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0 ||
            ::listen(listener_, 4) != 0 ||
            ::getsockname(listener_, reinterpret_cast<sockaddr*>(&local), &length) != 0)
            throw std::runtime_error("cannot open the TCP probe");
        port_ = ntohs(local.sin_port);
    }
    ~TcpPbxProbe() {
        if (connection_ >= 0) ::close(connection_);
        ::close(listener_);
    }
    TcpPbxProbe(const TcpPbxProbe&) = delete;
    TcpPbxProbe& operator=(const TcpPbxProbe&) = delete;

    std::uint16_t port() const { return port_; }

    // Takes the driver's next connection (closing the previous one).
    bool accept(std::chrono::milliseconds timeout) {
        if (!readable(listener_, timeout)) return false;
        if (connection_ >= 0) ::close(connection_);
        connection_ = ::accept(listener_, nullptr, nullptr);
        received_.clear();
        return connection_ >= 0;
    }

    // The next request's header block (the driver's REGISTERs have no body); "" on timeout.
    std::string read_request(std::chrono::milliseconds timeout) {
        for (;;) {
            if (auto end = received_.find("\r\n\r\n"); end != std::string::npos) {
                auto request = received_.substr(0, end + 4);
                received_.erase(0, end + 4);
                return request;
            }
            char buffer[4096];
            if (!readable(connection_, timeout)) return {};
            const auto size = ::recv(connection_, buffer, sizeof buffer, 0);
            if (size <= 0) return {};
            received_.append(buffer, static_cast<std::size_t>(size));
        }
    }

    void write(const std::string& bytes) {
        ::send(connection_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    }

    // A 200 to `request`, copying its Via, From, To (adding a tag), Call-ID and CSeq lines.
    static std::string ok_for(const std::string& request) {
        std::string response = "SIP/2.0 200 OK\r\n";
        std::size_t start = 0;
        for (auto end = request.find("\r\n"); end != std::string::npos;
             start = end + 2, end = request.find("\r\n", start)) {
            const auto line = request.substr(start, end - start);
            for (const char* name : {"Via:", "From:", "Call-ID:", "CSeq:"})
                if (line.rfind(name, 0) == 0) response += line + "\r\n";
            if (line.rfind("To:", 0) == 0) response += line + ";tag=pbx\r\n";
        }
        return response + "Expires: 600\r\nContent-Length: 0\r\n\r\n";
    }

private:
    static bool readable(int fd, std::chrono::milliseconds timeout) {
        pollfd ready{fd, POLLIN, 0};
        return ::poll(&ready, 1, static_cast<int>(timeout.count())) > 0;
    }

    int listener_ = -1;
    int connection_ = -1;
    std::uint16_t port_ = 0;
    std::string received_;
};

// The shared rig against a SipPeer set up as the test needs; nothing waited for yet.
struct SipRig : Rig {
    explicit SipRig(SipSetup setup = {})
        : Rig(std::make_unique<SipPeer>(std::move(setup)), Wait::nothing) {}
    SipPeer& sip() { return static_cast<SipPeer&>(*peer); }
};

}  // namespace

TEST_CASE("sip: a ringing call the PBX cancels with Reason cause=200 ends answered_elsewhere", "[conformance][sip]") {
    SipRig rig;
    rig.wait_for_driver("connected");
    rig.sip().call_answered_elsewhere("5550007", "Picked Up");
    const auto id = rig.event("screen_pop")["call_id"];
    auto ended = rig.event("call.ended");
    CHECK(ended["call"]["id"] == id);
    CHECK(ended["reason"] == "answered_elsewhere");
}

TEST_CASE("sip: a wrong password leaves the driver disconnected with the reason", "[conformance][sip]") {
    SipRig rig({.password = "wrong-password"});
    const auto detail = rig.wait_for_driver("disconnected");
    INFO(detail);
    CHECK(detail.find("refused the credentials") != std::string::npos);
}

}  // namespace cti::test

namespace cti::test {

TEST_CASE("sip monitor: a call on the deskphone pops with number and name, connects when answered there and ends normal", "[conformance][sip]") {
    SipRig rig({.mode = SipSetup::Mode::monitor});
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
    CHECK(rig.sip().last_caller_result(std::chrono::seconds(10)).value_or(-1) ==
          0);  // every NOTIFY got its 200
}

TEST_CASE("sip monitor over TCP: the PBX's dialog NOTIFYs come back over the driver's connection", "[conformance][sip]") {
    SipRig rig({.mode = SipSetup::Mode::monitor, .tcp = true});
    rig.peer->call_in("5551235", "Tcp Caller", Caller::hangs_up_after_answer);
    const auto pop = rig.event("screen_pop");
    CHECK(pop["caller"]["number"] == "5551235");
    CHECK(rig.event("call.connected")["call"]["id"] == pop["call_id"]);
    CHECK(rig.event("call.ended")["reason"] == "normal");
    CHECK(rig.sip().last_caller_result(std::chrono::seconds(10)).value_or(-1) == 0);
}

TEST_CASE("sip monitor: a call the caller gives up while the deskphone rings is missed", "[conformance][sip]") {
    SipRig rig({.mode = SipSetup::Mode::monitor});
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
    UdpProbe probe(rig.sip().driver_port());
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
    SipRig rig({.expires_s = 10});
    rig.wait_for_driver("connected");
    auto first = rig.sip().next_registration(std::chrono::seconds(5));
    REQUIRE(first);
    CHECK(first->find("registered 1001 for 10 s") != std::string::npos);
    const auto started = std::chrono::steady_clock::now();
    // Granted 10 s, the driver renews at half time: well before the binding would lapse.
    REQUIRE(rig.sip().next_registration(std::chrono::seconds(9)));
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(9));
    rig.peer->call_in("5550010", "After Refresh", Caller::gives_up);
    CHECK(rig.event("screen_pop")["caller"]["number"] == "5550010");
}

TEST_CASE(
    "sip click-to-dial: the phone gets the auto-answer INVITE and the REFER and the call ends with "
    "BYE",
    "[conformance][sip]") {
    SipRig rig;
    rig.wait_for_driver("connected");
    const auto number = rig.peer->answering_number();
    const auto id = rig.ok({{"type", "dial"}, {"to", number}})["call_id"];
    CHECK(rig.event("call.dialing")["call"]["id"] == id);
    CHECK(rig.event("call.connected")["call"]["id"] == id);
    rig.ok({{"type", "hangup"}, {"call_id", id}});
    CHECK(rig.event("call.ended")["reason"] == "normal");
    // The deskphone saw Call-Info's answer-after=0, a REFER to a number, and the BYE.
    CHECK(rig.sip().deskphone_result(std::chrono::seconds(10)).value_or(-1) == 0);
}

namespace {
// Dials `number` while the agent's deskphone runs `scenario`, which ends the call; returns the
// call.ended reason once the scenario itself has passed.
std::string click_to_dial_end_reason(SipRig& rig, const char* scenario, const char* number) {
    rig.wait_for_driver("connected");
    rig.sip().start_deskphone(scenario);
    const auto id = rig.ok({{"type", "dial"}, {"to", number}})["call_id"];
    auto ended = rig.event("call.ended");
    CHECK(ended["call"]["id"] == id);
    CHECK(rig.sip().deskphone_result(std::chrono::seconds(10)).value_or(-1) == 0);
    return ended["reason"].get<std::string>();
}
}  // namespace

TEST_CASE("sip click-to-dial: the agent's phone declining the call ends it rejected",
          "[conformance][sip]") {
    SipRig rig;
    // The deskphone scenario checks that it got the ACK.
    CHECK(click_to_dial_end_reason(rig, "deskphone_refuses.xml", "5551111") == "rejected");
}

TEST_CASE("sip click-to-dial: a phone that does not answer in time is cancelled and the call fails",
          "[conformance][sip]") {
    SipRig rig({.answer_timeout_ms = 1000});
    // The deskphone scenario checks that it got the CANCEL.
    CHECK(click_to_dial_end_reason(rig, "deskphone_silent.xml", "5552222") == "failed");
}

TEST_CASE("sip click-to-dial: without the click_to_dial section the driver does not dial",
          "[conformance][sip]") {
    SipRig rig({.click_to_dial = false});
    rig.wait_for_driver("connected");
    auto result =
        rig.page->command({{"type", "dial"}, {"to", "5559999"}}, std::chrono::seconds(10));
    CHECK(result["error"]["code"] == "unsupported");
}

TEST_CASE("sip monitor: the driver registers no contact, so the PBX never forks calls to it",
          "[conformance][sip]") {
    SipRig rig({.mode = SipSetup::Mode::monitor});
    // Registered (the binding query was accepted), then subscribing: no notifier runs here.
    REQUIRE(rig.sip().next_registration(std::chrono::seconds(10)));
    rig.sip().call_unreachable_extension();
    // The PBX knows no contact for the extension: 404, not the adapter's 480.
    CHECK(rig.sip().last_caller_result(std::chrono::seconds(10)).value_or(-1) == 0);
}

TEST_CASE(
    "sip over TCP: a stream that cannot be framed resets the connection, and the driver connects "
    "again",
    "[conformance][sip]") {
    TcpPbxProbe pbx;
    const json sip = {{"registrar", "127.0.0.1:" + std::to_string(pbx.port())},
                      {"user", agent_extension},
                      {"mode", "ring_only"},
                      {"transport", "tcp"},
                      {"keepalive_ms", 0},
                      {"retry_initial_ms", 10},
                      {"retry_max_ms", 100}};
    RunningAdapter adapter(json{{"driver", "sip"}, {"sip", sip}}.dump());
    WsClient page(adapter.port());
    auto status = [&](const std::string& wanted) {
        for (;;) {
            auto event = page.event_named("driver.status", std::chrono::seconds(10));
            if (event["status"] == wanted) return event["driver"].value("detail", std::string());
        }
    };

    REQUIRE(pbx.accept(std::chrono::seconds(5)));
    const auto first = pbx.read_request(std::chrono::seconds(5));
    CHECK(first.rfind("REGISTER ", 0) == 0);
    CHECK(first.find("Via: SIP/2.0/TCP ") != std::string::npos);
    CHECK(first.find(";transport=tcp>") != std::string::npos);  // the contact is this connection
    pbx.write(std::string("\x01\x02 this is not SIP\r\n\r\n"));
    const auto detail = status("disconnected");
    INFO(detail);
    CHECK(detail.find("malformed SIP") != std::string::npos);

    // A new connection, and this time a proper answer, split in two writes after a keepalive.
    REQUIRE(pbx.accept(std::chrono::seconds(5)));
    const auto again = pbx.read_request(std::chrono::seconds(5));
    REQUIRE(again.rfind("REGISTER ", 0) == 0);
    const auto ok = TcpPbxProbe::ok_for(again);
    pbx.write("\r\n\r\n" + ok.substr(0, 30));
    pbx.write(ok.substr(30));
    CHECK(status("connected").find("registered as sip:1001@127.0.0.1") == 0);
}

CTI_REGISTER_PEER("sip", SipPeer);
CTI_REGISTER_PEER("sip-tcp", SipTcpPeer);

}  // namespace cti::test
