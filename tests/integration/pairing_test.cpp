// Pairing and tokens (docs/PROTOCOL.md, 1.3): a page of another origin gets nothing but a short
// hello until it authenticates with its origin's token, which it gets once by pairing (approved
// from the adapter's own origin) or from IT (preseeded). Real server, real WebSocket clients.
#include <catch2/catch.hpp>

#include <fstream>

#include "pairing/tokens.hpp"
#include "support/log_capture.hpp"
#include "support/pairing_flow.hpp"
#include "support/running_adapter.hpp"
#include "support/temp_dir.hpp"
#include "support/ws_client.hpp"

using namespace cti;
using namespace cti::test;
using nlohmann::json;

namespace {

constexpr const char* crm = "https://crm.example.com";
constexpr const char* other_crm = "https://other.example.com";

std::string config_with(const std::string& pairing_fields) {
    return std::string(R"({"allowed_origins": [")") + crm + R"(", ")" + other_crm +
           R"("], "pairing": {)" + pairing_fields + "}}";
}

std::string preseeded(const std::string& origin, const std::string& token) {
    return R"("preseeded": [{"origin": ")" + origin + R"(", "token_sha256": ")" +
           pairing::token_sha256_hex(token) + R"("}])";
}

// A page of `origin` authenticates with `token`; returns the code the adapter closes it with.
int close_code_for(std::uint16_t port, const std::string& origin, const std::string& token) {
    WsClient page(port, unauthenticated(origin));
    CHECK(page.next_frame()["auth"] == "required");
    page.send_text(json{{"v", 1}, {"type", "authenticate"}, {"id", "1"}, {"token", token}}.dump());
    return page.read_until_closed();
}

}  // namespace

TEST_CASE("before authenticating a page of another origin gets only the short hello", "[pairing]") {
    RunningAdapter adapter(config_with(""));
    WsClient page(adapter.port(), unauthenticated(crm));
    auto hello = page.next_frame();
    CHECK(hello == json{{"v", 1}, {"type", "hello"}, {"product", "cti-adapter"},
                        {"version", hello["version"]}, {"protocol", 1}, {"auth", "required"}});
    CHECK(hello["version"].is_string());
    // A call rings while the page waits: the own page sees it, the unauthenticated one must not.
    WsClient own(adapter.port());
    REQUIRE(own.command({{"type", "simulate"}, {"action", "incoming"}, {"from", "+14155550123"}})["ok"] == true);
    own.event_named("call.ringing");
    page.send_text(json{{"v", 1}, {"type", "authenticate"}, {"id", "1"}, {"token", "not-a-token"}}.dump());
    std::size_t frames = 0;
    CHECK(page.read_until_closed(10s, &frames) == 4001);
    CHECK(frames == 0);
}

TEST_CASE("any command before authenticating closes with 4001", "[pairing]") {
    RunningAdapter adapter(config_with(""));
    for (const char* frame : {R"({"v":1,"type":"dial","id":"1","to":"+14155550123"})",
                              R"({"v":1,"type":"pairing.list","id":"1"})", "not json"}) {
        INFO(frame);
        WsClient page(adapter.port(), unauthenticated(crm));
        CHECK(page.next_frame()["auth"] == "required");
        page.send_text(frame);
        CHECK(page.read_until_closed() == 4001);
    }
}

TEST_CASE("a page pairs, the user approves from the own origin, and the token outlives a restart", "[pairing]") {
    TempDir dir;
    const auto config = config_with(R"("file": ")" + (dir.path / "pairings.json").string() + "\"");
    std::string token;
    {
        RunningAdapter adapter(config);
        WsClient page(adapter.port(), unauthenticated(crm));
        auto asked = ask_to_pair(page, "Acme CRM softphone");
        REQUIRE(asked["ok"] == true);
        const auto& data = asked["data"];
        CHECK(data["code"].get<std::string>().size() == 6);
        CHECK(data["approve_at"] == "http://127.0.0.1:" + std::to_string(adapter.port()) + "/pair");
        CHECK(data["expires_in_ms"].get<std::int64_t>() > 0);

        WsClient admin(adapter.port());
        auto request = pending_request(admin, crm);
        CHECK(request["name"] == "Acme CRM softphone");
        CHECK(request["code"] == data["code"]);  // what the user compares
        REQUIRE(admin.command({{"type", "pairing.approve"}, {"request_id", request["id"]}})["ok"] == true);

        auto paired = page.next_frame();
        REQUIRE(paired["type"] == "paired");
        token = paired["token"].get<std::string>();
        CHECK(token.size() >= 22);  // at least 128 bits in base64url
        page.read_greeting();
        CHECK(page.hello()["epoch"].is_string());
        CHECK(page.snapshot()["type"] == "snapshot");
        CHECK(page.command({{"type", "ping"}})["ok"] == true);

        auto listing = admin.command({{"type", "pairing.list"}});
        REQUIRE(listing["data"]["paired"].size() == 1);
        CHECK(listing["data"]["paired"][0]["origin"] == crm);
        CHECK(listing.dump().find(pairing::token_sha256_hex(token)) == std::string::npos);
        CHECK(listing.dump().find(token) == std::string::npos);
    }
    // Stored as a hash only, and still valid for a new run of the adapter.
    std::ifstream file(dir.path / "pairings.json");
    const std::string stored((std::istreambuf_iterator<char>(file)), {});
    CHECK(stored.find(pairing::token_sha256_hex(token)) != std::string::npos);
    CHECK(stored.find(token) == std::string::npos);
    RunningAdapter restarted(config);
    WsClient page(restarted.port(), with_token(crm, token));
    CHECK(page.hello()["epoch"].is_string());
    CHECK(page.command({{"type", "ping"}})["ok"] == true);
}

TEST_CASE("a wrong token, or another origin's token, closes with 4001", "[pairing]") {
    RunningAdapter adapter(config_with(preseeded(crm, "token-of-crm-0123456789abcdef")));
    CHECK(close_code_for(adapter.port(), crm, "token-of-crm-0123456789abcdeX") == 4001);
    CHECK(close_code_for(adapter.port(), other_crm, "token-of-crm-0123456789abcdef") == 4001);
    const auto paired_token = pair_page(adapter.port(), other_crm);
    CHECK(close_code_for(adapter.port(), crm, paired_token) == 4001);
}

TEST_CASE("a preseeded token opens the session, it can only be removed from the config", "[pairing]") {
    const std::string token = "it-deployed-token-0123456789abcdefghij";
    RunningAdapter adapter(config_with(preseeded(crm, token)));
    WsClient page(adapter.port(), with_token(crm, token));
    CHECK(page.snapshot()["type"] == "snapshot");
    CHECK(page.command({{"type", "ping"}})["ok"] == true);
    WsClient admin(adapter.port());
    auto listing = admin.command({{"type", "pairing.list"}});
    REQUIRE(listing["data"]["paired"].size() == 1);
    CHECK(listing["data"]["paired"][0]["source"] == "config");
    auto revoke = admin.command({{"type", "pairing.revoke"}, {"target", crm}});
    CHECK(revoke["ok"] == false);
    CHECK(revoke["error"]["message"].get<std::string>().find("pairing.preseeded") != std::string::npos);
}

TEST_CASE("revoking a pairing closes its open pages with 4003 and the token stops working", "[pairing]") {
    RunningAdapter adapter(config_with(""));
    const auto token = pair_page(adapter.port(), crm);
    WsClient page(adapter.port(), with_token(crm, token));
    WsClient admin(adapter.port());
    auto listing = admin.command({{"type", "pairing.list"}});
    const auto id = listing["data"]["paired"][0]["id"];
    auto revoked = admin.command({{"type", "pairing.revoke"}, {"target", id}});
    REQUIRE(revoked["ok"] == true);
    CHECK(revoked["data"]["revoked"] == json::array({id}));
    CHECK(page.read_until_closed() == 4003);

    CHECK(close_code_for(adapter.port(), crm, token) == 4001);
}

TEST_CASE("only the own origin may administer pairings", "[pairing]") {
    const std::string token = "it-deployed-token-0123456789abcdefghij";
    RunningAdapter adapter(config_with(preseeded(crm, token)));
    WsClient page(adapter.port(), with_token(crm, token));
    for (const char* type : {"pairing.list", "pairing.approve", "pairing.revoke"}) {
        auto result = page.command({{"type", type}, {"request_id", "x"}, {"target", crm}});
        CHECK(result["ok"] == false);
        CHECK(result["error"]["code"] == "forbidden");
    }
}

TEST_CASE("a paired page that keeps sending pairing commands is logged a few times, not each time", "[pairing][log]") {
    LogCapture log;
    const std::string token = "it-deployed-token-0123456789abcdefghij";
    RunningAdapter adapter(config_with(preseeded(crm, token)));
    WsClient page(adapter.port(), with_token(crm, token));
    for (int i = 0; i < 30; ++i)
        REQUIRE(page.command({{"type", "pairing.approve"}, {"request_id", "x"}})["error"]["code"] == "forbidden");
    const auto lines = log.lines_with("pairing commands are only for the adapter's own origin");
    CHECK(!lines.empty());
    CHECK(lines.size() <= 3);
}

TEST_CASE("a denied or expired request fails on the asking page", "[pairing]") {
    RunningAdapter adapter(config_with(R"("request_timeout_ms": 1000)"));
    WsClient denied(adapter.port(), unauthenticated(crm));
    REQUIRE(ask_to_pair(denied)["ok"] == true);
    WsClient admin(adapter.port());
    auto request = pending_request(admin, crm);
    REQUIRE(admin.command({{"type", "pairing.deny"}, {"request_id", request["id"]}})["ok"] == true);
    CHECK(denied.next_frame() == json{{"v", 1}, {"type", "pairing_failed"}, {"reason", "denied"}});

    WsClient expired(adapter.port(), unauthenticated(other_crm));
    auto asked = ask_to_pair(expired);
    REQUIRE(asked["ok"] == true);
    CHECK(asked["data"]["expires_in_ms"] == 1000);
    CHECK(expired.next_frame(5s) == json{{"v", 1}, {"type", "pairing_failed"}, {"reason", "expired"}});
    CHECK(admin.command({{"type", "pairing.list"}})["data"]["pending"].empty());
}

TEST_CASE("a page that neither authenticates nor pairs is closed after auth_timeout_ms, while one waiting for the user is not",
          "[pairing][limits]") {
    RunningAdapter adapter(std::string(R"({"allowed_origins": [")") + crm + R"(", ")" + other_crm +
                           R"("], "limits": {"auth_timeout_ms": 300}})");
    WsClient waiting(adapter.port(), unauthenticated(crm));
    REQUIRE(ask_to_pair(waiting)["ok"] == true);
    WsClient denied(adapter.port(), unauthenticated(other_crm));
    REQUIRE(ask_to_pair(denied)["ok"] == true);
    WsClient idle(adapter.port(), unauthenticated(crm));
    CHECK(idle.next_frame()["auth"] == "required");
    std::size_t frames = 0;
    CHECK(idle.read_until_closed(10s, &frames) == 4001);  // opened last, so the others waited longer
    CHECK(frames == 0);

    WsClient admin(adapter.port());
    auto request = pending_request(admin, other_crm);
    REQUIRE(admin.command({{"type", "pairing.deny"}, {"request_id", request["id"]}})["ok"] == true);
    CHECK(denied.next_frame() == json{{"v", 1}, {"type", "pairing_failed"}, {"reason", "denied"}});
    CHECK(denied.read_until_closed(10s) == 4001);  // denied: back on the short deadline

    request = pending_request(admin, crm);
    REQUIRE(admin.command({{"type", "pairing.approve"}, {"request_id", request["id"]}})["ok"] == true);
    CHECK(waiting.next_frame()["type"] == "paired");
    waiting.read_greeting();
    CHECK(waiting.command({{"type", "ping"}})["ok"] == true);
}

TEST_CASE("pending pairing requests are bounded per origin and in total", "[pairing]") {
    RunningAdapter adapter(config_with(R"("max_pending": 3, "max_pending_per_origin": 2)"));
    std::vector<std::unique_ptr<WsClient>> pages;
    auto ask = [&](const char* origin) {
        pages.push_back(std::make_unique<WsClient>(adapter.port(), unauthenticated(origin)));
        return ask_to_pair(*pages.back());
    };
    CHECK(ask(crm)["ok"] == true);
    CHECK(ask(crm)["ok"] == true);
    auto third = ask(crm);
    CHECK(third["ok"] == false);
    CHECK(third["error"]["code"] == "too_many_requests");
    CHECK(ask(other_crm)["ok"] == true);
    CHECK(ask(other_crm)["error"]["code"] == "too_many_requests");  // 3 in total
    // A page that goes away takes its request with it, making room.
    pages.front().reset();
    WsClient admin(adapter.port());
    for (int attempt = 0; admin.command({{"type", "pairing.list"}})["data"]["pending"].size() != 2; ++attempt)
        REQUIRE(attempt < 1000);  // the server notices the closed socket on its own strand
    CHECK(ask(other_crm)["ok"] == true);
}

TEST_CASE("with pairing.required false every allowed origin is attached at once", "[pairing]") {
    RunningAdapter adapter(config_with(R"("required": false)"));
    WsClient page(adapter.port(), with_origin(crm));
    CHECK(page.hello()["epoch"].is_string());
    CHECK(page.snapshot()["type"] == "snapshot");
}

TEST_CASE("a binary frame before authenticating closes with 4001, as any other frame but authenticate and pair", "[pairing]") {
    RunningAdapter adapter(config_with(""));
    WsClient page(adapter.port(), unauthenticated(crm));
    CHECK(page.next_frame()["auth"] == "required");
    page.send_binary(R"({"v":1,"type":"pair","id":"1","name":"binary"})");
    std::size_t frames = 0;
    CHECK(page.read_until_closed(10s, &frames) == 4001);
    CHECK(frames == 0);
}

TEST_CASE("a flood of frames before authenticating is closed with 4029 after a few answers", "[pairing][limits]") {
    RunningAdapter adapter(config_with(""));
    WsClient page(adapter.port(), unauthenticated(crm));
    REQUIRE(ask_to_pair(page)["ok"] == true);
    // Each further `pair` is answered "pairing_pending" until the page has sent too many.
    for (int i = 0; i < 50; ++i)
        page.send_text(json{{"v", 1}, {"type", "pair"}, {"id", std::to_string(i)}, {"name", "again"}}.dump());
    std::size_t frames = 0;
    CHECK(page.read_until_closed(10s, &frames) == 4029);
    CHECK(frames <= 5);
    // The page's request went with it; the user's /pair page has nothing left to approve.
    WsClient admin(adapter.port());
    CHECK(admin.command({{"type", "pairing.list"}})["data"]["pending"].empty());
}
