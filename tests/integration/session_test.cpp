// A page's session over a real WebSocket: greeting, commands and their results, events.
#include <catch2/catch.hpp>

#include <set>

#include "support/fake_driver.hpp"
#include "support/running_adapter.hpp"
#include "support/ws_client.hpp"

using namespace cti;
using namespace cti::test;
using nlohmann::json;

namespace {

const Capabilities all_call_control{Capability::dial,   Capability::answer, Capability::decline,
                                    Capability::hangup, Capability::hold,   Capability::resume,
                                    Capability::transfer, Capability::dtmf};

const char* fast_simulator = R"({"simulator": {"answer_after_ms": 20}})";

std::string error_code(const json& result) {
    REQUIRE(result["type"] == "result");
    REQUIRE(result["ok"] == false);
    return result["error"]["code"].get<std::string>();
}

// The next frame that is not an event (events from earlier commands may still be queued).
json next_reply(WsClient& client) {
    for (;;) {
        auto frame = client.next_frame();
        if (frame["type"] != "event") return frame;
    }
}

// Rings a simulated call; returns its id once the client has seen it ring.
std::string ring(WsClient& client, const std::string& from = "+14155550123") {
    auto result = client.command({{"type", "simulate"}, {"action", "incoming"}, {"from", from}, {"name", "Ada Lovelace"}});
    INFO(result.dump());
    REQUIRE(result["ok"] == true);
    auto id = result["data"]["call_id"].get<std::string>();
    auto ringing = client.event_named("call.ringing");
    REQUIRE(ringing["call"]["id"] == id);
    return id;
}

}  // namespace

TEST_CASE("a new connection gets hello then a snapshot", "[session]") {
    RunningAdapter adapter;
    WsClient client(adapter.port());

    const auto& hello = client.hello();
    CHECK(hello["v"] == 1);
    CHECK(hello["type"] == "hello");
    CHECK(hello["product"] == "cti-adapter");
    CHECK(hello["protocol"] == 1);
    CHECK(hello["version"].is_string());
    CHECK(hello["epoch"] == adapter.service().epoch());
    CHECK(hello["driver"]["name"] == "simulator");
    CHECK(hello["capabilities"] == json::array({"answer", "decline", "dial", "dtmf", "hangup", "hold",
                                                "resume", "simulate", "transfer"}));

    const auto& snapshot = client.snapshot();
    CHECK(snapshot["v"] == 1);
    CHECK(snapshot["type"] == "snapshot");
    CHECK(snapshot["resync"] == false);
    CHECK(snapshot["epoch"] == hello["epoch"]);
    CHECK(snapshot["calls"] == json::array());
    CHECK(snapshot["seq"].is_number_unsigned());
    CHECK(snapshot["driver"]["name"] == "simulator");
}

TEST_CASE("the snapshot of a later connection lists the active calls", "[session]") {
    RunningAdapter adapter;
    WsClient first(adapter.port());
    auto id = ring(first);
    WsClient second(adapter.port());
    REQUIRE(second.snapshot()["calls"].size() == 1);
    const auto& call = second.snapshot()["calls"][0];
    CHECK(call["id"] == id);
    CHECK(call["state"] == "ringing");
    CHECK(call["direction"] == "inbound");
    CHECK(call["from"] == json{{"number", "+14155550123"}, {"name", "Ada Lovelace"}});
    CHECK(call["driver"] == "simulator");
    CHECK(call["answered_at"].is_null());
    CHECK(second.snapshot()["seq"] == first.command({{"type", "snapshot"}})["data"]["seq"]);
}

TEST_CASE("an incoming call pops at every connected page in the same order", "[session][events]") {
    RunningAdapter adapter;
    WsClient first(adapter.port());
    WsClient second(adapter.port());
    first.command({{"type", "simulate"}, {"action", "incoming"}, {"from", "+1 (415) 555-0123"}, {"name", "Ada Lovelace"}, {"to", "+442071234567"}});

    for (auto* client : {&first, &second}) {
        auto ringing = client->next_event();
        auto pop = client->next_event();
        CHECK(ringing["name"] == "call.ringing");
        CHECK(ringing["call"]["state"] == "ringing");
        CHECK(ringing["epoch"] == adapter.service().epoch());
        CHECK(pop["name"] == "screen_pop");
        CHECK(pop["seq"] == ringing["seq"].get<std::uint64_t>() + 1);
        CHECK(pop["call_id"] == ringing["call"]["id"]);
        CHECK(pop["call_type"] == "inbound");
        CHECK(pop["caller"] == json{{"number", "+14155550123"}, {"name", "Ada Lovelace"}});
        CHECK(pop["called"]["number"] == "+442071234567");
        // started_at: ISO-8601 UTC with milliseconds
        auto started = ringing["call"]["started_at"].get<std::string>();
        CHECK(started.size() == 24);
        CHECK(started.back() == 'Z');
        CHECK(started[19] == '.');
    }
}

TEST_CASE("answer hold resume dtmf transfer and hangup drive a call through its states", "[session][commands]") {
    RunningAdapter adapter;
    WsClient client(adapter.port());
    auto id = ring(client);
    client.event_named("screen_pop");

    auto ok = [&](json command) {
        command["call_id"] = id;
        auto result = client.command(command);
        INFO(result.dump());
        REQUIRE(result["ok"] == true);
        return result;
    };
    ok({{"type", "answer"}});
    auto connected = client.next_event();
    CHECK(connected["name"] == "call.connected");
    CHECK(connected["call"]["answered_at"].is_string());

    ok({{"type", "hold"}});
    CHECK(client.next_event()["name"] == "call.held");
    CHECK(error_code(client.command({{"type", "dtmf"}, {"call_id", id}, {"digits", "1"}})) == "invalid_state");
    ok({{"type", "resume"}});
    CHECK(client.next_event()["name"] == "call.resumed");
    CHECK(ok({{"type", "dtmf"}, {"digits", "12#"}})["data"]["sent"] == "12#");
    ok({{"type", "hangup"}});
    auto ended = client.next_event();
    CHECK(ended["name"] == "call.ended");
    CHECK(ended["reason"] == "normal");
    CHECK(ended["call"]["state"] == "ended");
    CHECK(ended["call"]["end_reason"] == "normal");
    CHECK(ended["call"]["ended_at"].is_string());
    CHECK(error_code(client.command({{"type", "hangup"}, {"call_id", id}})) == "no_such_call");

    SECTION("transfer ends the call at this phone") {
        auto second = ring(client, "+14155550124");
        client.command({{"type", "answer"}, {"call_id", second}});
        client.event_named("call.connected");
        CHECK(error_code(client.command({{"type", "transfer"}, {"call_id", second}, {"to", "12@evil"}})) == "invalid_number");
        CHECK(client.command({{"type", "transfer"}, {"call_id", second}, {"to", "+442071234567"}})["ok"] == true);
        CHECK(client.event_named("call.ended")["call"]["id"] == second);
    }
}

TEST_CASE("decline ends a ringing call as rejected and a caller who gives up is missed", "[session][commands]") {
    RunningAdapter adapter;
    WsClient client(adapter.port());
    auto declined = ring(client);
    CHECK(client.command({{"type", "decline"}, {"call_id", declined}})["ok"] == true);
    auto ended = client.event_named("call.ended");
    CHECK(ended["call"]["id"] == declined);
    CHECK(ended["reason"] == "rejected");

    auto missed = ring(client);
    CHECK(client.command({{"type", "simulate"}, {"action", "remote_hangup"}, {"call_id", missed}})["ok"] == true);
    CHECK(client.event_named("call.ended")["reason"] == "missed");

    auto elsewhere = ring(client);
    client.command({{"type", "simulate"}, {"action", "answered_elsewhere"}, {"call_id", elsewhere}});
    CHECK(client.event_named("call.ended")["reason"] == "answered_elsewhere");
}

TEST_CASE("dial starts an outbound call that rings and then connects", "[session][commands]") {
    RunningAdapter adapter(R"({"simulator": {"answer_after_ms": 20, "busy_numbers": ["+15550000"]}})");
    WsClient client(adapter.port());
    auto result = client.command({{"type", "dial"}, {"to", "+1 415-555-0199"}});
    REQUIRE(result["ok"] == true);
    auto id = result["data"]["call_id"].get<std::string>();
    auto dialing = client.next_event();
    CHECK(dialing["name"] == "call.dialing");
    CHECK(dialing["call"]["id"] == id);
    CHECK(dialing["call"]["direction"] == "outbound");
    CHECK(dialing["call"]["to"]["number"] == "+14155550199");
    auto pop = client.next_event();  // outbound calls pop too, with the callee as the party
    CHECK(pop["name"] == "screen_pop");
    CHECK(pop["call_type"] == "outbound");
    CHECK(pop["number"] == "+14155550199");
    auto connected = client.event_named("call.connected");
    CHECK(connected["call"]["id"] == id);
    client.command({{"type", "hangup"}, {"call_id", id}});
    CHECK(client.event_named("call.ended")["reason"] == "normal");

    SECTION("a busy number ends busy") {
        auto busy = client.command({{"type", "dial"}, {"to", "+15550000"}})["data"]["call_id"];
        auto ended = client.event_named("call.ended");
        CHECK(ended["call"]["id"] == busy);
        CHECK(ended["reason"] == "busy");
    }
}

TEST_CASE("every command gets exactly one result with the documented error codes", "[session][errors]") {
    RunningAdapter adapter(fast_simulator);
    WsClient client(adapter.port());

    auto pong = client.command({{"type", "ping"}});
    CHECK(pong["ok"] == true);
    CHECK(pong["id"] == "t1");
    CHECK(pong["data"]["time"].is_string());
    CHECK(client.command({{"type", "snapshot"}})["data"]["calls"] == json::array());

    CHECK(error_code(client.command({{"type", "launch_missiles"}})) == "unknown_command");
    CHECK(error_code(client.command({{"type", "dial"}})) == "bad_request");
    CHECK(client.command({{"type", "dial"}})["error"]["message"].get<std::string>().find("'to'") != std::string::npos);
    CHECK(error_code(client.command({{"type", "dial"}, {"to", 42}})) == "bad_request");
    for (const char* bad : {"+1415\r\nINVITE", "sip:bob@evil.example", "1;user=phone", "<1234>", "", "abc"}) {
        INFO(bad);
        auto result = client.command({{"type", "dial"}, {"to", bad}});
        CHECK(error_code(result) == (std::string(bad).empty() ? "bad_request" : "invalid_number"));
    }
    CHECK(error_code(client.command({{"type", "answer"}})) == "bad_request");
    CHECK(error_code(client.command({{"type", "answer"}, {"call_id", "nope"}})) == "no_such_call");
    CHECK(error_code(client.command({{"type", "hold"}, {"call_id", "nope"}})) == "no_such_call");
    CHECK(error_code(client.command({{"type", "resume"}, {"call_id", "x"}, {"epoch", "e"}, {"after_seq", 0}})) == "bad_request");

    auto id = ring(client);
    CHECK(error_code(client.command({{"type", "hold"}, {"call_id", id}})) == "invalid_state");
    CHECK(error_code(client.command({{"type", "dtmf"}, {"call_id", id}, {"digits", "1"}})) == "invalid_state");
    client.command({{"type", "answer"}, {"call_id", id}});
    CHECK(error_code(client.command({{"type", "answer"}, {"call_id", id}})) == "invalid_state");
    CHECK(error_code(client.command({{"type", "dtmf"}, {"call_id", id}, {"digits", "12x"}})) == "bad_request");
    CHECK(error_code(client.command({{"type", "transfer"}, {"call_id", id}})) == "bad_request");

    SECTION("a wrong protocol version") {
        client.send_text(R"({"v":2,"type":"ping","id":"old"})");
        auto result = next_reply(client);
        CHECK(result["id"] == "old");
        CHECK(error_code(result) == "unsupported_version");
    }
    SECTION("a command without an id") {
        client.send_text(R"({"v":1,"type":"ping"})");
        auto result = next_reply(client);
        CHECK(result["id"].is_null());
        CHECK(error_code(result) == "bad_request");
    }
}

TEST_CASE("a driver without a capability answers unsupported and a driver that is down driver_unavailable", "[session][errors]") {
    auto driver = std::make_unique<FakeDriver>(Capabilities{Capability::answer, Capability::hangup});
    auto* fake = driver.get();
    RunningAdapter adapter("{}", std::move(driver));
    WsClient client(adapter.port());
    CHECK(client.hello()["capabilities"] == json::array({"answer", "hangup"}));
    CHECK(error_code(client.command({{"type", "dial"}, {"to", "123"}})) == "unsupported");
    CHECK(error_code(client.command({{"type", "hold"}, {"call_id", "x"}})) == "unsupported");
    CHECK(error_code(client.command({{"type", "simulate"}, {"action", "incoming"}})) == "unsupported");

    fake->set_status(DriverState::disconnected, "phone system unreachable");
    auto status = client.event_named("driver.status");
    CHECK(status["status"] == "disconnected");
    CHECK(status["driver"]["detail"] == "phone system unreachable");
    auto result = client.command({{"type", "answer"}, {"call_id", "x"}});
    CHECK(error_code(result) == "driver_unavailable");
    CHECK(fake->commands_seen() == 0);
}

TEST_CASE("a driver's refusal reaches the page as driver_error", "[session][errors]") {
    auto driver = std::make_unique<FakeDriver>(all_call_control);
    auto* fake = driver.get();
    fake->answer = [](const DriverCommand&) { return fail(ErrorKind::failed, "486 Busy Here"); };
    RunningAdapter adapter("{}", std::move(driver));
    WsClient client(adapter.port());
    auto result = client.command({{"type", "dial"}, {"to", "+1 415 555 0100"}});
    CHECK(error_code(result) == "driver_error");
    CHECK(result["error"]["message"] == "486 Busy Here");
    auto command = fake->next_command();
    REQUIRE(command);
    CHECK(command->kind == DriverCommand::Kind::dial);
    CHECK(command->number == "+14155550100");  // the driver only ever sees a clean number
}

TEST_CASE("the call table drops reports that do not fit and no page ever sees them", "[session][call_table]") {
    auto driver = std::make_unique<FakeDriver>(all_call_control);
    auto* fake = driver.get();
    RunningAdapter adapter("{}", std::move(driver));
    WsClient client(adapter.port());

    fake->emit(changed(CallReport::Kind::connected, "ghost"));          // unknown call
    fake->emit(offered("a"));
    fake->emit(changed(CallReport::Kind::held, "a"));                   // held while ringing
    fake->emit(changed(CallReport::Kind::ended, "a", EndReason::missed));

    const auto first = client.snapshot()["seq"].get<std::uint64_t>();
    std::vector<std::string> names;
    auto read_events = [&](int count) {
        for (int i = 0; i < count; ++i) {
            auto event = client.next_event();
            CHECK(event["seq"] == first + 1 + names.size());  // no gaps
            names.push_back(event["name"]);
        }
    };
    read_events(4);  // up to call_log, which goes out once its record is on disk
    fake->emit(changed(CallReport::Kind::connected, "a"));              // after ended
    fake->emit(offered("a"));                                           // offered again
    fake->emit(offered("b"));
    read_events(2);
    CHECK(names == std::vector<std::string>{"call.ringing", "screen_pop", "call.ended", "call_log", "call.ringing", "screen_pop"});
}

TEST_CASE("when the phone system goes away its calls end driver_lost", "[session][driver]") {
    auto driver = std::make_unique<FakeDriver>(all_call_control);
    auto* fake = driver.get();
    RunningAdapter adapter("{}", std::move(driver));
    WsClient client(adapter.port());
    fake->emit(offered("a"));
    client.event_named("screen_pop");
    fake->set_status(DriverState::disconnected, "connection lost");
    auto ended = client.next_event();
    CHECK(ended["name"] == "call.ended");
    CHECK(ended["reason"] == "driver_lost");
    // call_log goes out once its record is on disk: before or after driver.status.
    std::set<std::string> next_two{client.next_event()["name"], client.next_event()["name"]};
    CHECK(next_two == std::set<std::string>{"call_log", "driver.status"});
    CHECK(client.command({{"type", "snapshot"}})["data"]["calls"] == json::array());
}

TEST_CASE("frames that are not commands get an error frame and the connection stays open", "[session][errors]") {
    RunningAdapter adapter;
    WsClient client(adapter.port());
    client.send_text("{not json");
    auto error = client.next_frame();
    CHECK(error["v"] == 1);
    CHECK(error["type"] == "error");
    CHECK(error["error"]["code"] == "bad_json");
    client.send_text("[1,2,3]");
    CHECK(client.next_frame()["error"]["code"] == "not_an_object");
    client.send_text("\"ping\"");
    CHECK(client.next_frame()["error"]["code"] == "not_an_object");
    client.send_text(R"({"v":1,"id":"x"})");
    CHECK(error_code(client.next_frame()) == "bad_request");
    CHECK(client.command({{"type", "ping"}})["ok"] == true);
}

TEST_CASE("a scenario runs its calls through their steps", "[session][simulator]") {
    RunningAdapter adapter;
    WsClient client(adapter.port());
    json scenario = {{"name", "answered then hung up"},
                     {"steps", {{{"at_ms", 0}, {"action", "incoming"}, {"call", "a"}, {"from", "+14155550123"}},
                                {{"at_ms", 1}, {"action", "answer"}, {"call", "a"}},
                                {{"at_ms", 2}, {"action", "remote_hangup"}, {"call", "a"}}}}};
    CHECK(client.command({{"type", "simulate"}, {"action", "scenario"}, {"scenario", scenario}})["ok"] == true);
    std::vector<std::string> names;
    for (int i = 0; i < 4; ++i) names.push_back(client.next_event()["name"]);
    CHECK(names == std::vector<std::string>{"call.ringing", "screen_pop", "call.connected", "call.ended"});

    auto bad = client.command({{"type", "simulate"}, {"action", "scenario"},
                               {"scenario", {{"steps", {{{"action", "ring"}, {"call", "a"}}}}}}});
    CHECK(error_code(bad) == "bad_request");
    CHECK(bad["error"]["message"].get<std::string>().find("scenario.steps[0].action") != std::string::npos);
}

TEST_CASE("the dial plan rewrites what reaches the driver and refuses denied numbers", "[session][dial_plan]") {
    auto driver = std::make_unique<FakeDriver>(all_call_control);
    auto* fake = driver.get();
    RunningAdapter adapter(R"({"dial_plan": {"country_code": "1", "outside_line_prefix": "9",
                               "long_distance_prefix": "1", "international_prefix": "011",
                               "deny": ["+1900"]}})", std::move(driver));
    WsClient client(adapter.port());
    CHECK(client.command({{"type", "dial"}, {"to", "+1 (415) 555-0123"}})["ok"] == true);
    auto command = fake->next_command();
    REQUIRE(command);
    CHECK(command->number == "914155550123");
    auto refused = client.command({{"type", "dial"}, {"to", "+1 900 555 0100"}});
    CHECK(error_code(refused) == "dial_refused");
    CHECK(refused["error"]["message"].get<std::string>().find("+1900") != std::string::npos);
    CHECK(fake->commands_seen() == 0);  // never reached the driver
}
