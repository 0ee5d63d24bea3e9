// The SIP driver's own conformance cases against Kamailio and SIPp (the peer: sip_peer.hpp).
#include <catch2/catch.hpp>

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "conformance/rig.hpp"
#include "conformance/sip_peer.hpp"
#include "support/sip_ok_for.hpp"

namespace cti::test {
namespace {

using nlohmann::json;

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
    static std::string ok_for(const std::string& request) { return sip_ok_for(request); }

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

TEST_CASE("sip ring-only: the caller's name and number come from P-Asserted-Identity when the INVITE has one", "[conformance][sip]") {
    SipRig rig;
    rig.wait_for_driver("connected");
    rig.sip().call_in_asserted("5550044", "Asserted Name", "From Name");
    const auto pop = rig.event("screen_pop");
    CHECK(pop["caller"]["number"] == "5550044");
    CHECK(pop["caller"]["name"] == "Asserted Name");
    CHECK(rig.event("call.ended")["reason"] == "missed");
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
