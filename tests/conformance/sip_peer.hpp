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
// click-to-dial, over UDP ("sip") and over TCP ("sip-tcp"); sip_peer.cpp adds the cases specific
// to SIP, and the fault suite (tests/faults) kills and restarts this PBX under the real
// executable.
#pragma once


#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "conformance/peer.hpp"
#include "conformance/sipp_ready.hpp"
#include "support/child_process.hpp"

namespace cti::test {

inline const std::string sip_scenario_dir = std::string(CTI_CONFORMANCE_DIR) + "/sip";
inline constexpr const char* agent_extension = "1001";
inline constexpr const char* agent_password = "agent-secret";  // as in kamailio.cfg

// Binds a loopback socket of `type` to `port` (0: any); returns the bound port, 0 on failure.
inline std::uint16_t bind_loopback(int type, std::uint16_t port) {
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
inline std::uint16_t free_udp_port() {
    const auto port = bind_loopback(SOCK_DGRAM, 0);
    if (port == 0) throw std::runtime_error("cannot find a free UDP port");
    return port;
}

// A port free for both UDP and TCP (the PBX listens on both).
inline std::uint16_t free_udp_and_tcp_port() {
    for (int attempt = 0; attempt < 100; ++attempt) {
        const auto port = free_udp_port();
        if (bind_loopback(SOCK_STREAM, port) == port) return port;
    }
    throw std::runtime_error("cannot find a port free for UDP and TCP");
}

inline std::string shell_quote(const std::string& text) {
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
        nlohmann::json sip = {{"registrar", "127.0.0.1:" + std::to_string(pbx_port_)},
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
        return nlohmann::json{{"driver", "sip"}, {"sip", sip}}.dump();
    }

    // Monitor mode: the notifier starts now, so the driver's SUBSCRIBE, retried until it
    // gets an answer, reaches it once the test is ready for the call (one call per peer).
    void call_in(const std::string& number, const std::string& name, Caller caller) override {
        if (setup_.mode == Mode::monitor)
            return start_notifier(caller == Caller::gives_up ? "notifier_missed.xml" : "notifier_answered.xml",
                                  number, name);
        call_in_with(caller == Caller::gives_up ? "caller_gives_up.xml" : "caller_waits.xml", number, name);
    }

    // A caller whose From says `from_name`, and whose P-Asserted-Identity says `number` and
    // `asserted_name`; it gives up while it rings.
    void call_in_asserted(const std::string& number, const std::string& asserted_name, const std::string& from_name) {
        call_in_with("caller_asserted_gives_up.xml", "0000", from_name,
                     "-key asserted " + shell_quote(number) + " -key asserted_name " + shell_quote(asserted_name));
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
    // The far end's status line, relayed in the REFER's NOTIFY.
    std::string busy_detail() const override { return "486 Busy Here"; }

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

    // The PBX dies at once, as on a crash or a power cut: SIGKILL to Kamailio and its workers
    // (one process group), no goodbye on any socket.
    void kill_now() {
        pbx_->signal(SIGKILL);
        if (!pbx_->wait(std::chrono::seconds(10))) throw std::runtime_error("kamailio did not die");
    }

    // Everything the PBX logged so far (for a failure's message).
    const std::string& pbx_output() const { return pbx_->out(); }

    // Waits until the PBX logs a line containing `text` (e.g. "registered 1001 for 0 s").
    std::optional<std::string> pbx_log_line(const std::string& text, std::chrono::milliseconds timeout) {
        return pbx_->wait_for_stdout_line(text, timeout);
    }

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
            "exec /usr/sbin/kamailio -f " + shell_quote(sip_scenario_dir + "/kamailio.cfg") + " -A " +
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

    void call_in_with(const std::string& scenario, const std::string& number, const std::string& name,
                      const std::string& extra_keys = {}) {
        callers_.push_back(sipp(scenario,
                                caller_keys(number, name) + (extra_keys.empty() ? "" : " " + extra_keys) +
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
            "exec /usr/bin/sipp -sf " + shell_quote(sip_scenario_dir + "/" + scenario) + " " +
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

}  // namespace cti::test
