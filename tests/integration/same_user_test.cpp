// Another user of the same machine (issue 14, section 1): on a terminal server every user shares
// 127.0.0.1, so the port takes connections of the adapter's own user only (same_user_only).
// The other user is uid 65534 through setpriv, which needs root; elsewhere the cases say so.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <unistd.h>
#include <vector>

#include "support/child_process.hpp"
#include "support/log_capture.hpp"
#include "support/running_adapter.hpp"
#include "support/ws_client.hpp"

using namespace cti::test;

namespace {

constexpr const char* setpriv = "/usr/bin/setpriv";
constexpr const char* curl = "/usr/bin/curl";
constexpr const char* other_uid = "65534";

// Why the other-user cases cannot run here; empty when they can.
std::string why_no_other_user() {
    if (::geteuid() != 0) return "not root: becoming another user (setpriv --reuid) needs root; run as root to test it";
    for (const char* tool : {setpriv, curl})
        if (!std::filesystem::exists(tool)) return std::string(tool) + " is missing: it is what the other user runs";
    return {};
}

struct CurlResult {
    std::string status;  // "000" when no HTTP answer came
    int exit_code = -1;
};

// GET /health with curl, run as `uid` (through setpriv) or as this process's user.
CurlResult curl_health(std::uint16_t port, const char* uid = nullptr) {
    std::vector<std::string> args;
    if (uid) args = {setpriv, std::string("--reuid=") + uid, std::string("--regid=") + uid, "--clear-groups"};
    args.insert(args.end(), {curl, "-sS", "--max-time", "10", "-o", "/dev/null", "-w", "%{http_code}",
                             "http://127.0.0.1:" + std::to_string(port) + "/health"});
    ChildProcess client(args);
    const auto exit_code = client.wait(std::chrono::seconds(20));
    INFO("curl stderr: " << client.err());
    return {client.out(), exit_code.value_or(-1)};
}

}  // namespace

TEST_CASE("another user's process is refused before any HTTP and logged once, while the adapter's own user is served",
          "[security][same_user]") {
    if (const auto why = why_no_other_user(); !why.empty()) {
        WARN("skipped: " << why);
        return;
    }
    LogCapture log;
    RunningAdapter adapter;
    for (int attempt = 0; attempt < 3; ++attempt) {
        const auto refused = curl_health(adapter.port(), other_uid);
        CHECK(refused.status == "000");  // closed unanswered: no status line at all
        CHECK(refused.exit_code != 0);
    }
    const auto lines = log.lines_with("refused a connection to port " + std::to_string(adapter.port()));
    REQUIRE(lines.size() == 1);  // three refusals in 10 s: one line
    CHECK_THAT(lines[0], Catch::Contains("from uid 65534") && Catch::Contains("only uid 0, this adapter's user"));

    CHECK(curl_health(adapter.port()).status == "200");
    CHECK(WsClient(adapter.port()).hello()["type"] == "hello");
}

TEST_CASE("same_user_only false lets another user's process in", "[security][same_user]") {
    if (const auto why = why_no_other_user(); !why.empty()) {
        WARN("skipped: " << why);
        return;
    }
    RunningAdapter adapter(R"({"same_user_only": false})");
    CHECK(curl_health(adapter.port(), other_uid).status == "200");
}
