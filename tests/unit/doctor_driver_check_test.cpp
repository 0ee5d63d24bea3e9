// doctor's driver check: connected passes, a driver still waiting for its phone system to
// confirm (a SIP dialog subscription not confirmed) warns with the driver's words, a lost one fails.
#include <catch2/catch.hpp>

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "config/config.hpp"
#include "cti/driver_registry.hpp"
#include "doctor/driver_check.hpp"
#include "doctor/driver_trial.hpp"
#include "support/sip_ok_for.hpp"

using namespace cti;
using nlohmann::json;

namespace {
CheckResult described(const json& driver) {
    CheckResult check{"driver", "phone system", CheckStatus::pass, "", "", {}};
    describe_driver(driver, check);
    return check;
}
// A UDP "PBX" that answers every request 200 (the SUBSCRIBE too) and never sends a NOTIFY.
class SilentNotifier {
public:
    SilentNotifier() {
        fd_ = ::socket(AF_INET, SOCK_DGRAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
        port_ = ntohs(address.sin_port);
        thread_ = std::thread([this] { serve(); });
    }
    ~SilentNotifier() {
        stop_ = true;
        thread_.join();
        ::close(fd_);
    }
    std::uint16_t port() const { return port_; }

private:
    void serve() {
        while (!stop_) {
            pollfd ready{fd_, POLLIN, 0};
            if (::poll(&ready, 1, 50) <= 0) continue;
            char buffer[8192];
            sockaddr_in from{};
            socklen_t length = sizeof from;
            const auto size = ::recvfrom(fd_, buffer, sizeof buffer, 0, reinterpret_cast<sockaddr*>(&from), &length);
            if (size <= 0) continue;
            const auto answer = cti::test::sip_ok_for(std::string(buffer, static_cast<std::size_t>(size)));
            ::sendto(fd_, answer.data(), answer.size(), 0, reinterpret_cast<sockaddr*>(&from), length);
        }
    }
    int fd_ = -1;
    std::uint16_t port_ = 0;
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

}  // namespace

TEST_CASE("doctor driver check: doctor's own trial of a SIP driver whose subscription the PBX accepts but never notifies warns not confirmed", "[doctor][sip]") {
    SilentNotifier pbx;
    const nlohmann::json config = {
        {"driver", "sip"},
        {"sip", {{"registrar", "127.0.0.1:" + std::to_string(pbx.port())}, {"user", "1001"}, {"mode", "monitor"}, {"keepalive_ms", 0}}}};
    const auto tried = try_driver(parse_config(config.dump(), "test.json", builtin_drivers()).value(), builtin_drivers(),
                                  std::chrono::milliseconds(1500));
    REQUIRE(tried);
    const auto& trial = *tried;
    CHECK(trial.timed_out);
    CHECK(trial.status.state == DriverState::connecting);
    const auto check = described({{"name", "sip"}, {"status", "connecting"}, {"detail", trial.status.detail}});
    CHECK(check.status == CheckStatus::warn);
    CHECK_THAT(check.detail, Catch::Contains("dialog subscription not confirmed: waiting for the PBX's first NOTIFY"));
}

TEST_CASE("doctor driver check: a subscription the PBX has not confirmed is shown as a warning, not as all well", "[doctor]") {
    const auto check = described(
        {{"name", "sip"},
         {"status", "connecting"},
         {"detail", "registered as sip:1001@pbx at pbx:5060; dialog subscription not confirmed: the PBX no "
                    "longer knows the subscription (481 to its refresh); subscribing again"}});
    CHECK(check.status == CheckStatus::warn);
    CHECK_THAT(check.detail, Catch::StartsWith("sip: connecting (") &&
                                 Catch::Contains("dialog subscription not confirmed") && Catch::Contains("481"));
    CHECK(check.data["confirmed"] == false);
    CHECK(check.data["status"] == "connecting");
    CHECK_THAT(check.remedy, Catch::Contains("not confirmed yet") && Catch::Contains("docs/drivers/sip.md"));
}

TEST_CASE("doctor driver check: connected passes, disconnected fails", "[doctor]") {
    const auto good = described({{"name", "sip"}, {"status", "connected"}, {"detail", "watching its dialog events"}});
    CHECK(good.status == CheckStatus::pass);
    CHECK(good.data["confirmed"] == true);
    CHECK(good.remedy.empty());
    const auto lost = described({{"name", "baresip"}, {"status", "disconnected"}, {"detail", "refused"}});
    CHECK(lost.status == CheckStatus::fail);
    CHECK(lost.data["confirmed"] == false);
    CHECK_THAT(lost.remedy, Catch::Contains("cannot reach") && Catch::Contains("docs/drivers/baresip.md"));
}
