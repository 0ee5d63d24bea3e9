// The SIP driver in monitor mode against a PBX whose dialog state nobody scripts: Kamailio
// (tests/conformance/sip_dialoginfo/kamailio.cfg) registers a real baresip as the agent's
// deskphone, proxies SIPp's calls to it, and publishes and notifies the state of those calls
// itself (pua_dialoginfo + presence_dialoginfo). The peer "sip-dialoginfo" runs the shared
// suite where it applies (the driver only watches: no answer, decline or dial; Kamailio's
// dialog-info names no caller), and the cases below restart that PBX.
//
// Everything runs on free loopback ports and is stopped by the peer; the tests wait on
// Kamailio's log lines and the page's events, never on the clock.
#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <poll.h>

#include "conformance/baresip_config.hpp"
#include "conformance/rig.hpp"
#include "conformance/sip_peer.hpp"

namespace cti::test {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

const std::string dialoginfo_dir = std::string(CTI_CONFORMANCE_DIR) + "/sip_dialoginfo";
const fs::path dbtext_schema = "/usr/share/kamailio/dbtext/kamailio";

// Two consecutive ports free for UDP and TCP: baresip's SIP (UDP and TCP) and the next one.
std::uint16_t free_port_pair() {
    for (int attempt = 0; attempt < 100; ++attempt) {
        const auto port = free_udp_and_tcp_port();
        if (port < 65535 && bind_loopback(SOCK_STREAM, port + 1) == port + 1) return port;
    }
    throw std::runtime_error("no two free consecutive ports");
}

class SipDialoginfoPeer final : public Peer {
public:
    // `check_ms`: the driver's subscription_check_ms (0: only the other signals).
    // `click_to_dial`: the driver also dials, by INVITE to the deskphone and REFER.
    // `keepalive_ms`: the driver's OPTIONS keepalive (0: none, so only the check sees a restart).
    explicit SipDialoginfoPeer(int check_ms = 2000, bool click_to_dial = false, int keepalive_ms = 300)
        : check_ms_(check_ms), click_to_dial_(click_to_dial), keepalive_ms_(keepalive_ms) {}
    ~SipDialoginfoPeer() override {
        callers_.clear();
        far_end_.reset();
        // CTI_TEST_KEEP_SIP_LOGS=1 keeps the run folder, with Kamailio's log (its NOTIFYs too).
        if (pbx_ && std::getenv("CTI_TEST_KEEP_SIP_LOGS")) {
            pbx_->signal(SIGTERM);
            pbx_->wait(std::chrono::seconds(5));
            std::ofstream(run_dir_ + "/kamailio.log") << pbx_->out();
        }
        deskphone_.reset();
        pbx_.reset();
        std::error_code ignored;
        if (!run_dir_.empty() && !std::getenv("CTI_TEST_KEEP_SIP_LOGS")) fs::remove_all(run_dir_, ignored);
    }

    void start() override {
        char dir[] = "/tmp/cti-sip-dialoginfo-XXXXXX";
        if (!::mkdtemp(dir)) throw std::runtime_error("mkdtemp failed");
        run_dir_ = dir;
        pbx_port_ = free_udp_port();
        far_end_port_ = free_udp_port();
        deskphone_port_ = free_port_pair();
        // The registrations outlive a restart (see kamailio.cfg); a fresh PBX knows none.
        fs::copy(dbtext_schema, run_dir_ + "/location-db", fs::copy_options::recursive);
        start_pbx();
        start_deskphone();
    }

    std::string adapter_config() const override {
        const nlohmann::json sip = {{"registrar", "127.0.0.1:" + std::to_string(pbx_port_)},
                                    {"user", agent_extension},
                                    {"password", agent_password},
                                    {"display_name", "Agent One"},
                                    {"mode", "monitor"},
                                    {"expires_s", 60},
                                    {"keepalive_ms", keepalive_ms_},
                                    {"transaction_timeout_ms", 3000},
                                    {"retry_max_ms", 1000},
                                    {"subscription_check_ms", check_ms_}};
        auto config = nlohmann::json{{"driver", "sip"}, {"sip", sip}};
        if (click_to_dial_)
            config["sip"]["click_to_dial"] = {
                {"enabled", true},
                {"phone_uri", std::string("sip:") + agent_extension + "@127.0.0.1:" + std::to_string(pbx_port_)},
                {"target_domain", "127.0.0.1"}};
        return config.dump();
    }

    // SIPp calls the extension through Kamailio; baresip rings. A caller who hangs up after an
    // answer is answered at the deskphone (baresip's ctrl_tcp `accept`, as the agent's hand).
    void call_in(const std::string& number, const std::string& name, Caller caller) override {
        const auto scenario = caller == Caller::gives_up  ? "caller_gives_up.xml"
                              : caller == Caller::waits   ? "caller_waits.xml"
                                                          : "../baresip/caller_hangs_up.xml";
        const int ctrl = caller == Caller::hangs_up_after_answer ? connect_ctrl() : -1;
        const auto log = run_dir_ + "/caller-" + std::to_string(callers_.size());
        const auto command =
            "exec /usr/bin/sipp -sf " + shell_quote(sip_scenario_dir + "/" + scenario) +
            " -key caller " + shell_quote(number) + " -key caller_name " + shell_quote(name) +
            " -s " + agent_extension + " 127.0.0.1:" + std::to_string(pbx_port_) + " -p " +
            std::to_string(free_udp_port()) + " -mp " + std::to_string(free_udp_port()) +
            " -i 127.0.0.1 -mi 127.0.0.1 -nostdin -m 1 -timeout 60 -timeout_error -trace_msg -message_file " +
            shell_quote(log + "-messages.log") + " > " + shell_quote(log + ".log") + " 2>&1";
        callers_.push_back(std::make_unique<ChildProcess>(std::vector<std::string>{"/bin/sh", "-c", command}));
        if (ctrl >= 0) answer_at_deskphone(ctrl);
    }

    std::string answering_number() override { return {}; }
    std::string busy_number() override { return {}; }
    std::string busy_detail() const override { return {}; }
    bool supports(Capability) const override { return false; }  // monitor mode only watches (the shared cases)
    bool names_callers() const override { return false; }

    // SIGTERM: db_text writes the registrations out as Kamailio stops. Its main process
    // sometimes hangs on a lock after that, its workers gone (seen about once in 30 stops):
    // then it is killed, the registrations written already.
    void kill() override {
        pbx_->signal(SIGTERM);
        if (pbx_->wait(std::chrono::seconds(1))) return;
        pbx_->signal(SIGKILL);
        if (!pbx_->wait(std::chrono::seconds(10))) throw std::runtime_error("kamailio did not stop");
    }
    void restart() override { start_pbx(); }

    // Waits until Kamailio logs a line containing `text`.
    std::optional<std::string> pbx_line(const std::string& text, std::chrono::milliseconds timeout) {
        return pbx_->wait_for_stdout_line(text, timeout);
    }

    // While the PBX is down, the test holds its UDP port and waits for the driver's keepalive
    // to arrive there unanswered (a restart that the keepalive sees); true if it came.
    bool keepalive_unanswered(std::chrono::milliseconds timeout) {
        const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        address.sin_port = htons(pbx_port_);
        bool seen = fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
        const auto deadline = Clock::now() + timeout;
        for (bool options = false; seen && !options;) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
            pollfd ready{fd, POLLIN, 0};
            if (left.count() <= 0 || ::poll(&ready, 1, static_cast<int>(left.count())) <= 0) seen = false;
            char buffer[4096];
            if (seen) options = ::recv(fd, buffer, sizeof buffer, 0) > 7 && std::string(buffer, 8) == "OPTIONS ";
        }
        if (fd >= 0) ::close(fd);
        return seen;
    }

    // The far end of a click-to-dial call: SIPp behind the PBX for the numbers 555..., which
    // answers the deskphone's call and hangs up 3 s later (sip_dialoginfo/callee_hangs_up.xml).
    void start_far_end() {
        const auto log = run_dir_ + "/far-end";
        const auto command = "exec /usr/bin/sipp -sf " + shell_quote(dialoginfo_dir + "/callee_hangs_up.xml") +
                             " -p " + std::to_string(far_end_port_) + " -mp " + std::to_string(free_udp_port()) +
                             " -i 127.0.0.1 -mi 127.0.0.1 -nostdin -m 1 -timeout 60 -timeout_error -trace_msg -message_file " +
                             shell_quote(log + "-messages.log") + " > " + shell_quote(log + ".log") + " 2>&1";
        far_end_ = std::make_unique<ChildProcess>(std::vector<std::string>{"/bin/sh", "-c", command});
        wait_until_udp_bound(far_end_port_);  // else the PBX may fail the deskphone's INVITE at once
    }
    // The far end's SIPp exit code (0: it got the call, and its BYE was answered).
    std::optional<int> far_end_result(std::chrono::milliseconds timeout) { return far_end_->wait(timeout); }

    // A ctrl_tcp connection to baresip, opened before the call so that its CALL_INCOMING comes.
    int connect_ctrl() const {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        address.sin_port = htons(ctrl_port_);
        if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
            throw std::runtime_error("cannot connect to baresip's ctrl_tcp");
        return fd;
    }

    // Waits until baresip rings with the call, then accepts it; closes `ctrl`.
    static void answer_at_deskphone(int ctrl) {
        std::string received;
        const auto deadline = Clock::now() + std::chrono::seconds(10);
        while (received.find("CALL_INCOMING") == std::string::npos) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
            pollfd ready{ctrl, POLLIN, 0};
            char buffer[4096];
            const auto size = left.count() > 0 && ::poll(&ready, 1, static_cast<int>(left.count())) > 0
                                  ? ::recv(ctrl, buffer, sizeof buffer, 0)
                                  : -1;
            if (size <= 0) {
                ::close(ctrl);
                throw std::runtime_error("baresip did not ring: " + received);
            }
            received.append(buffer, static_cast<std::size_t>(size));
        }
        const std::string accept = R"({"command":"accept","params":"","token":"deskphone"})";
        const auto netstring = std::to_string(accept.size()) + ":" + accept + ",";
        ::send(ctrl, netstring.data(), netstring.size(), MSG_NOSIGNAL);
        ::close(ctrl);
    }

private:
    void start_pbx() {
        const auto presence_db = run_dir_ + "/presence-db";
        std::error_code ignored;
        fs::remove_all(presence_db, ignored);
        fs::copy(dbtext_schema, presence_db, fs::copy_options::recursive);
        const auto address = "127.0.0.1:" + std::to_string(pbx_port_);
        const auto command =
            "exec /usr/sbin/kamailio -f " + shell_quote(dialoginfo_dir + "/kamailio.cfg") +
            " -A " + shell_quote("PBX_ADDRESS=\"" + address + "\"") +
            " -A " + shell_quote("PBX_URI=\"sip:" + address + "\"") +
            " -A " + shell_quote("PRESENCE_DB=\"text://" + presence_db + "\"") +
            " -A " + shell_quote("LOCATION_DB=\"text://" + run_dir_ + "/location-db\"") +
            " -A " + shell_quote("FAR_END_URI=\"sip:127.0.0.1:" + std::to_string(far_end_port_) + "\"") +
            " -l udp:" + address + " -DD -E -Y " + shell_quote(run_dir_) + " -P " +
            shell_quote(run_dir_ + "/kamailio.pid") + " -w " + shell_quote(run_dir_) + " -m 32 -M 8 2>&1";
        pbx_ = std::make_unique<ChildProcess>(std::vector<std::string>{"/bin/sh", "-c", command});
        if (!pbx_->wait_for_stdout_line("dialoginfo-pbx ready", std::chrono::seconds(10)))
            throw std::runtime_error("kamailio did not start: " + pbx_->out());
    }

    // baresip registered as the extension: the deskphone the PBX rings.
    void start_deskphone() {
        const auto dir = run_dir_ + "/baresip";
        fs::create_directories(dir);
        ctrl_port_ = bind_loopback(SOCK_STREAM, 0);
        std::ofstream(dir + "/config") << headless_baresip_config("127.0.0.1:" + std::to_string(deskphone_port_))
                                       << "module_app ctrl_tcp.so\nctrl_tcp_listen 127.0.0.1:" << ctrl_port_ << "\n";
        std::ofstream(dir + "/accounts")
            << "<sip:" << agent_extension << "@127.0.0.1:" << pbx_port_ << ">;auth_pass=" << agent_password
            << ";regint=600;answermode=manual;audio_codecs=PCMU/8000/1"
            // A deskphone sends every request through its PBX, the call a REFER makes too
            // (the Refer-To URI names only the dial domain, not the PBX's port).
            << (click_to_dial_ ? ";outbound=\"sip:127.0.0.1:" + std::to_string(pbx_port_) + ";lr\"" : std::string())
            << "\n";
        deskphone_ = std::make_unique<ChildProcess>(std::vector<std::string>{"/usr/bin/baresip", "-f", dir});
        // Kamailio logs the deskphone's registration with its contact, on baresip's port.
        for (;;) {
            auto line = pbx_->wait_for_stdout_line("dialoginfo-pbx: registered", std::chrono::seconds(10));
            if (!line) throw std::runtime_error("baresip did not register: " + deskphone_->out() + deskphone_->err());
            if (line->find(":" + std::to_string(deskphone_port_)) != std::string::npos) break;
        }
    }

    int check_ms_;
    bool click_to_dial_;
    int keepalive_ms_;
    std::uint16_t far_end_port_ = 0;
    std::unique_ptr<ChildProcess> far_end_;
    std::string run_dir_;
    std::uint16_t pbx_port_ = 0;
    std::uint16_t deskphone_port_ = 0;
    std::uint16_t ctrl_port_ = 0;
    std::unique_ptr<ChildProcess> pbx_;
    std::unique_ptr<ChildProcess> deskphone_;
    std::vector<std::unique_ptr<ChildProcess>> callers_;
};

struct DialoginfoRig : Rig {
    explicit DialoginfoRig(int check_ms = 2000, bool click_to_dial = false, int keepalive_ms = 300)
        : Rig(std::make_unique<SipDialoginfoPeer>(check_ms, click_to_dial, keepalive_ms)) {}
    SipDialoginfoPeer& pbx() { return static_cast<SipDialoginfoPeer&>(*peer); }
};

}  // namespace

CTI_REGISTER_PEER("sip-dialoginfo", SipDialoginfoPeer);

TEST_CASE("sip-dialoginfo: a call pops from Kamailio's own dialog state, with the caller's number and no name", "[conformance][sip]") {
    DialoginfoRig rig;  // connected: Kamailio's first NOTIFY has come
    rig.peer->call_in("5550040", "Unnamed", Caller::gives_up);
    auto pop = rig.event("screen_pop");
    CHECK(pop["caller"]["number"] == "5550040");
    CHECK(pop["caller"]["name"] == "");  // dialog-info carries no display name
    CHECK(rig.event("call.ended")["reason"] == "missed");
}

// The call the issue saw lost after a restart: answered at the deskphone and hung up by the
// caller. Once the driver watches again it pops, connects and ends normal.
TEST_CASE("sip-dialoginfo: after a PBX restart a call answered on the deskphone pops, connects and ends normal", "[conformance][sip]") {
    DialoginfoRig rig;
    rig.peer->kill();
    rig.peer->restart();
    CHECK_THAT(rig.wait_for_driver("connecting"), Catch::Contains("dialog subscription not confirmed"));
    rig.wait_for_driver("connected");
    rig.peer->call_in("5550045", "Answered", Caller::hangs_up_after_answer);
    const auto pop = rig.event("screen_pop");
    CHECK(pop["caller"]["number"] == "5550045");
    CHECK(rig.event("call.connected")["call"]["id"] == pop["call_id"]);
    auto ended = rig.event("call.ended");
    CHECK(ended["call"]["id"] == pop["call_id"]);
    CHECK(ended["reason"] == "normal");
}

namespace {

// Restarts the PBX, in under 2 s (with `keepalive_seen`, once the driver's keepalive has reached
// its port while it was down), calls the extension at once with a caller that keeps ringing,
// and checks the call pops within 5 s of the PBX being back. Returns the driver's detail while
// it subscribed again.
std::string restart_then_call(DialoginfoRig& rig, bool keepalive_seen, const std::string& number) {
    const auto began = Clock::now();
    rig.peer->kill();
    if (keepalive_seen) REQUIRE(rig.pbx().keepalive_unanswered(std::chrono::seconds(5)));
    rig.peer->restart();
    const auto back = Clock::now();
    CHECK(back - began < std::chrono::seconds(2));
    rig.peer->call_in(number, "After Restart", Caller::waits);
    const auto detail = rig.wait_for_driver("connecting");
    CHECK_THAT(detail, Catch::Contains("dialog subscription not confirmed") && Catch::Contains("481"));
    rig.wait_for_driver("connected");
    const auto pop = rig.event("screen_pop");
    const auto popped = Clock::now();
    CHECK(pop["caller"]["number"] == number);
    const auto ms = [](auto duration) {
        return std::chrono::duration_cast<std::chrono::milliseconds>(duration).count();
    };
    std::cerr << "sip-dialoginfo restart: the PBX was down and up again in " << ms(back - began)
              << " ms; the next call popped " << ms(popped - back) << " ms after it was back (" << detail << ")\n";
    CHECK(popped - back < std::chrono::seconds(5));
    return detail;
}

}  // namespace

// The PBX restarts and forgets every subscription; the deskphone stays registered. With no
// keepalive, only the check after 2 s without a NOTIFY can see it: it gets the 481, and the call
// pops about 2 s after the PBX is back. (With keepalives every 300 ms, a stop that hangs for its
// full second is seen by a keepalive first: the next case.)
TEST_CASE("sip-dialoginfo: after a fast PBX restart the driver subscribes again and the next call pops within 5 s", "[conformance][sip]") {
    DialoginfoRig rig(2000, false, 0);
    const auto detail = restart_then_call(rig, false, "5550041");
    CHECK_THAT(detail, Catch::Contains("no dialog NOTIFY for 2 s"));
}

// The same restart, seen by the keepalive: its OPTIONS reaches the PBX's port while Kamailio is
// down, and only its resend is answered, by the new Kamailio. With no periodic check at all,
// that alone makes the driver refresh, get the 481 and subscribe again (about 0.5 s).
TEST_CASE("sip-dialoginfo: a keepalive answered only after a resend makes the driver check its subscription, and the next call pops", "[conformance][sip]") {
    DialoginfoRig rig(0);
    const auto detail = restart_then_call(rig, true, "5550043");
    CHECK_THAT(detail, Catch::Contains("only after a resend"));
}

}  // namespace cti::test

namespace cti::test {

// Issue: one click-to-dial showed as two calls (the control leg and the phone's own call to the
// number, both in Kamailio's dialog-info), and hang-up ended only the control leg. One dial is
// one call, from dialing to its end, with one call log; once the phone's call is under way the
// driver cannot end it (baresip has no RFC 3891 Replaces) and says so.
TEST_CASE("sip-dialoginfo: a click-to-dial is one call from dialing to connected to ended, and hang-up says to hang up on the phone", "[conformance][sip]") {
    DialoginfoRig rig(2000, true);
    auto& pbx = rig.pbx();
    pbx.start_far_end();
    const int ctrl = pbx.connect_ctrl();
    const auto id = rig.ok({{"type", "dial"}, {"to", "5550101"}})["call_id"];
    pbx.answer_at_deskphone(ctrl);  // the agent takes the control leg at the phone

    // Every call event up to this call's end: only this call's, and each kind once.
    std::vector<std::string> seen;
    const auto follow_until = [&](const std::string& wanted) {
        for (;;) {
            auto event = rig.page->next_event(std::chrono::seconds(20));
            if (event.value("type", std::string()) != "event") continue;
            const std::string name = event.value("name", std::string());
            INFO(event.dump());
            if (name == "screen_pop") CHECK(event["call_id"] == id);  // a second call would pop too
            if (name.rfind("call.", 0) != 0) continue;
            CHECK(event["call"]["id"] == id);
            seen.push_back(name);
            if (name == wanted) return event;
        }
    };
    auto dialing = follow_until("call.dialing");
    CHECK(dialing["call"]["to"]["number"] == "5550101");
    follow_until("call.connected");

    auto refused = rig.page->command({{"type", "hangup"}, {"call_id", id}}, std::chrono::seconds(10));
    INFO(refused.dump());
    CHECK(refused["ok"] == false);
    CHECK_THAT(refused["error"]["message"].get<std::string>(), Catch::Contains("hang up on your phone"));

    auto ended = follow_until("call.ended");  // the far end hangs up
    CHECK(ended["reason"] == "normal");
    CHECK(seen == std::vector<std::string>{"call.dialing", "call.connected", "call.ended"});
    CHECK(pbx.far_end_result(std::chrono::seconds(10)) == 0);

    rig.event("call_log");
    auto logs = rig.ok({{"type", "history"}, {"limit", 10}})["logs"];
    REQUIRE(logs.size() == 1);
    CHECK(logs[0]["log_id"] == id);
}

}  // namespace cti::test
