// Caller lookup over HTTP against a real local lookup service: matches, the cache, a service
// that never answers (timeout) and one that fails. call.ringing never waits for the lookup.
#include <catch2/catch.hpp>

#include <chrono>

#include "support/lookup_server.hpp"
#include "support/running_adapter.hpp"
#include "support/temp_dir.hpp"
#include "support/ws_client.hpp"

using namespace cti;
using namespace cti::test;
using nlohmann::json;
using Stopwatch = std::chrono::steady_clock;

namespace {

// A config whose inbound calls are looked up at `port`, with the usual CRM pop rules.
std::string config_for(std::uint16_t port, int timeout_ms, const std::string& directory = "") {
    json config = {{"screen_pop",
                    {{"country_code", "1"},
                     {"trunk_prefix", "1"},
                     {"lookup_url", "http://127.0.0.1:" + std::to_string(port) + "/lookup?number={number}"},
                     {"lookup_timeout_ms", timeout_ms},
                     {"inbound",
                      {{"fields", {"from_number", "contact.name", "contact.account"}},
                       {"no_match", {{"pop", "new_record"}, {"url", "https://crm.example.com/new?phone={number}"}}},
                       {"single_match", {{"pop", "record"}, {"url", "https://crm.example.com/contacts/{id}"}}},
                       {"multiple_matches", {{"pop", "search"}, {"url", "https://crm.example.com/search?q={number}"}}}}}}}};
    if (!directory.empty()) config["screen_pop"]["directory_file"] = directory;
    return config.dump();
}

// Rings a simulated call from `from`; returns the call.ringing event.
json ring(WsClient& page, const std::string& from) {
    auto result = page.command({{"type", "simulate"}, {"action", "incoming"}, {"from", from}});
    INFO(result.dump());
    REQUIRE(result["ok"] == true);
    return page.event_named("call.ringing");
}

const char* ada_record = R"([{"id": "0031X00001", "name": "Ada Lovelace", "number": "+1 415 555 0123", "account": "Analytical Engines"}])";

}  // namespace

TEST_CASE("screen pop: the HTTP lookup's record is popped, and kept for the next call", "[screen_pop]") {
    LookupServer crm([](const std::string& target) {
        if (target == "/lookup?number=%2B14155550123") return LookupReply{200, ada_record};
        return LookupReply{200, "[]"};
    });
    RunningAdapter adapter(config_for(crm.port(), 5000));
    WsClient page(adapter.port());

    auto ringing = ring(page, "(415) 555-0123");
    auto pop = page.event_named("screen_pop");
    CHECK(pop["call_id"] == ringing["call"]["id"]);
    CHECK(pop["number"] == "+14155550123");
    CHECK(pop["match"] == "single");
    REQUIRE(pop["matches"].size() == 1);
    CHECK(pop["matches"][0]["name"] == "Ada Lovelace");
    CHECK(pop["matches"][0]["source"] == "http");
    CHECK(pop["pop"] == json{{"kind", "record"}, {"url", "https://crm.example.com/contacts/0031X00001"}});
    CHECK(pop["fields"] == json::parse(R"([{"key":"from_number","value":"4155550123"},
        {"key":"contact.name","value":"Ada Lovelace"},{"key":"contact.account","value":"Analytical Engines"}])"));

    // The same caller again within the cache time: matched without asking the service.
    ring(page, "+14155550123");
    CHECK(page.event_named("screen_pop")["matches"][0]["id"] == "0031X00001");
    CHECK(crm.targets() == std::vector<std::string>{"/lookup?number=%2B14155550123"});

    // Another caller the service does not know: the new-record pop.
    ring(page, "+442071234567");
    auto unknown = page.event_named("screen_pop");
    CHECK(unknown["match"] == "none");
    CHECK(unknown["pop"]["url"] == "https://crm.example.com/new?phone=%2B442071234567");
}

TEST_CASE("screen pop: directory and HTTP matches together are several matches", "[screen_pop]") {
    TempDir dir;
    const auto contacts = dir.write("contacts.csv", "id,name,number\nD-7,Ada (old record),415-555-0123\n");
    LookupServer crm([](const std::string&) { return LookupReply{200, ada_record}; });
    RunningAdapter adapter(config_for(crm.port(), 5000, contacts));
    WsClient page(adapter.port());

    ring(page, "+14155550123");
    auto pop = page.event_named("screen_pop");
    CHECK(pop["match"] == "multiple");
    REQUIRE(pop["matches"].size() == 2);
    CHECK(pop["matches"][0]["source"] == "directory");
    CHECK(pop["matches"][1]["source"] == "http");
    CHECK(pop["pop"] == json{{"kind", "search"}, {"url", "https://crm.example.com/search?q=%2B14155550123"}});
}

TEST_CASE("screen pop: a lookup that never answers pops no match after the timeout", "[screen_pop]") {
    LookupServer silent([](const std::string&) { return LookupReply{200, "", true}; });
    const int timeout_ms = 400;
    RunningAdapter adapter(config_for(silent.port(), timeout_ms));
    WsClient page(adapter.port());

    const auto asked = Stopwatch::now();
    auto ringing = ring(page, "+14155550123");
    const auto rang = Stopwatch::now();
    auto pop = page.event_named("screen_pop", std::chrono::seconds(5));
    const auto popped = Stopwatch::now();

    CHECK(rang - asked < std::chrono::milliseconds(timeout_ms));  // the ringing did not wait
    CHECK(popped - asked >= std::chrono::milliseconds(timeout_ms));
    CHECK(pop["call_id"] == ringing["call"]["id"]);
    CHECK(pop["match"] == "none");
    CHECK(pop["pop"]["kind"] == "new_record");
    CHECK(silent.targets().size() == 1);

    // The core was never blocked: commands are answered while the next lookup hangs.
    ring(page, "+14155550100");
    CHECK(page.command({{"type", "ping"}})["ok"] == true);
    CHECK(page.event_named("screen_pop", std::chrono::seconds(5))["match"] == "none");
}

TEST_CASE("screen pop: a failing lookup service counts as no match", "[screen_pop]") {
    SECTION("an error status") {
        LookupServer broken([](const std::string&) { return LookupReply{500, "oops"}; });
        RunningAdapter adapter(config_for(broken.port(), 5000));
        WsClient page(adapter.port());
        ring(page, "+14155550123");
        CHECK(page.event_named("screen_pop")["pop"]["kind"] == "new_record");
        // Failures are not cached: the next call asks again.
        ring(page, "+14155550123");
        CHECK(page.event_named("screen_pop")["match"] == "none");
        CHECK(broken.targets().size() == 2);
    }
    SECTION("an answer that is not JSON") {
        LookupServer broken([](const std::string&) { return LookupReply{200, "<html>"}; });
        RunningAdapter adapter(config_for(broken.port(), 5000));
        WsClient page(adapter.port());
        ring(page, "+14155550123");
        CHECK(page.event_named("screen_pop")["match"] == "none");
    }
    SECTION("nobody listening") {
        std::uint16_t gone_port = 0;
        {
            LookupServer gone([](const std::string&) { return LookupReply{}; });
            gone_port = gone.port();
        }
        RunningAdapter adapter(config_for(gone_port, 5000));
        WsClient page(adapter.port());
        ring(page, "+14155550123");
        CHECK(page.event_named("screen_pop")["pop"]["kind"] == "new_record");
    }
}

TEST_CASE("screen pop: a page that connects while the call rings gets its pop in the snapshot", "[screen_pop]") {
    LookupServer crm([](const std::string&) { return LookupReply{200, ada_record}; });
    RunningAdapter adapter(config_for(crm.port(), 5000));
    WsClient first_page(adapter.port());
    auto ringing = ring(first_page, "+14155550123");
    auto pop = first_page.event_named("screen_pop");

    WsClient late_page(adapter.port());
    const auto& pops = late_page.snapshot()["screen_pops"];
    REQUIRE(pops.size() == 1);
    CHECK(pops[0]["call_id"] == ringing["call"]["id"]);
    CHECK(pops[0]["matches"] == pop["matches"]);
    CHECK(pops[0]["pop"] == pop["pop"]);

    // Answered: the snapshot's pop shows the call as it is now. Ended: the pop is gone.
    const auto id = ringing["call"]["id"].get<std::string>();
    REQUIRE(first_page.command({{"type", "answer"}, {"call_id", id}})["ok"] == true);
    first_page.event_named("call.connected");
    CHECK(WsClient(adapter.port()).snapshot()["screen_pops"][0]["call"]["state"] == "connected");
    REQUIRE(first_page.command({{"type", "hangup"}, {"call_id", id}})["ok"] == true);
    first_page.event_named("call.ended");
    CHECK(WsClient(adapter.port()).snapshot()["screen_pops"] == json::array());
}
