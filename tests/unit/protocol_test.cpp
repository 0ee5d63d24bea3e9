// Encoding and decoding of protocol frames (docs/PROTOCOL.md).
#include <catch2/catch.hpp>

#include <chrono>
#include <set>
#include <string>
#include <variant>

#include <nlohmann/json.hpp>

#include "protocol/command_fields.hpp"
#include "protocol/messages.hpp"
#include "protocol/values.hpp"

using namespace std::chrono_literals;
using nlohmann::json;
namespace protocol = cti::protocol;

namespace {

// 2026-11-21T09:14:03.127Z
cti::TimePoint known_time() {
    using namespace std::chrono;
    return sys_days{year{2026} / November / 21} + 9h + 14min + 3s + 127ms;
}

json parse(const protocol::Frame& frame) {
    REQUIRE(frame != nullptr);
    return json::parse(*frame);
}

std::set<std::string> keys_of(const json& object) {
    std::set<std::string> keys;
    for (const auto& [key, value] : object.items()) keys.insert(key);
    return keys;
}

cti::Call ringing_call() {
    cti::Call call;
    call.id = "5f3c9a0e-3";
    call.direction = cti::Direction::inbound;
    call.state = cti::CallState::ringing;
    call.from = {"+14155550123", "Ada Lovelace"};
    call.to = {"+442071234567", ""};
    call.started_at = known_time();
    call.driver = "simulator";
    return call;
}

protocol::Command command(std::string_view text) {
    auto result = protocol::decode_command(text);
    if (const auto* error = std::get_if<protocol::DecodeError>(&result))
        FAIL("decode failed: " << error->code << ": " << error->message);
    return std::get<protocol::Command>(std::move(result));
}

protocol::DecodeError decode_error(std::string_view text) {
    auto result = protocol::decode_command(text);
    if (std::holds_alternative<protocol::Command>(result))
        FAIL("decoded as a command: " << std::string(text));
    return std::get<protocol::DecodeError>(std::move(result));
}

std::string field_error(const json& body, const char* name, std::size_t max_length = 256) {
    auto result = protocol::string_field(body, name, max_length);
    if (result) FAIL("field '" << name << "' unexpectedly accepted: " << *result);
    CHECK(result.error().kind == cti::ErrorKind::invalid_input);
    return result.error().message;
}

}  // namespace

// ---- time stamps ----

TEST_CASE("iso8601: UTC with milliseconds", "[protocol][iso8601]") {
    CHECK(protocol::iso8601(known_time()) == "2026-11-21T09:14:03.127Z");
}

TEST_CASE("iso8601: the Unix epoch", "[protocol][iso8601]") {
    CHECK(protocol::iso8601(cti::TimePoint{}) == "1970-01-01T00:00:00.000Z");
}

TEST_CASE("iso8601: sub-millisecond parts are truncated not rounded", "[protocol][iso8601]") {
    CHECK(protocol::iso8601(known_time() + 999us) == "2026-11-21T09:14:03.127Z");
    CHECK(protocol::iso8601(known_time() - 127ms) == "2026-11-21T09:14:03.000Z");
}

TEST_CASE("iso8601: zero padding and a leap day", "[protocol][iso8601]") {
    using namespace std::chrono;
    const cti::TimePoint leap = sys_days{year{2024} / February / 29} + 23h + 59min + 59s + 999ms;
    CHECK(protocol::iso8601(leap) == "2024-02-29T23:59:59.999Z");
    const cti::TimePoint early = sys_days{year{2001} / January / 2} + 3h + 4min + 5s + 6ms;
    CHECK(protocol::iso8601(early) == "2001-01-02T03:04:05.006Z");
    CHECK(protocol::iso8601(leap + 1ms) == "2024-03-01T00:00:00.000Z");
}

TEST_CASE("iso8601: a time just before 1970 is formatted correctly", "[protocol][iso8601]") {
    CHECK(protocol::iso8601(cti::TimePoint{} - 1ms) == "1969-12-31T23:59:59.999Z");
}

// ---- the call object ----

TEST_CASE("call object: every field of section 3.1 nulls while unset", "[protocol][call]") {
    const json j = protocol::to_json(ringing_call());
    CHECK(keys_of(j) == std::set<std::string>{"id", "direction", "state", "from", "to",
                                              "started_at", "answered_at", "ended_at",
                                              "end_reason", "end_detail", "driver"});
    CHECK(j["id"] == "5f3c9a0e-3");
    CHECK(j["direction"] == "inbound");
    CHECK(j["state"] == "ringing");
    CHECK(j["from"] == json{{"number", "+14155550123"}, {"name", "Ada Lovelace"}});
    CHECK(j["to"] == json{{"number", "+442071234567"}, {"name", ""}});
    CHECK(j["started_at"] == "2026-11-21T09:14:03.127Z");
    CHECK(j["answered_at"].is_null());
    CHECK(j["ended_at"].is_null());
    CHECK(j["end_reason"].is_null());
    CHECK(j["end_detail"].is_null());
    CHECK(j["driver"] == "simulator");
}

TEST_CASE("call object: an ended call has its times and reason", "[protocol][call]") {
    auto call = ringing_call();
    call.direction = cti::Direction::outbound;
    call.state = cti::CallState::ended;
    call.answered_at = known_time() + 2s;
    call.ended_at = known_time() + 65s + 5ms;
    call.end_reason = cti::EndReason::answered_elsewhere;
    const json j = protocol::to_json(call);
    CHECK(j["direction"] == "outbound");
    CHECK(j["state"] == "ended");
    CHECK(j["answered_at"] == "2026-11-21T09:14:05.127Z");
    CHECK(j["ended_at"] == "2026-11-21T09:15:08.132Z");
    CHECK(j["end_reason"] == "answered_elsewhere");
    CHECK(j["end_detail"] == "");  // the phone system gave no reason in words
}

TEST_CASE("call object: every direction state and end reason has its protocol name",
          "[protocol][call]") {
    auto call = ringing_call();
    call.direction = cti::Direction::internal;
    call.state = cti::CallState::held;
    CHECK(protocol::to_json(call)["direction"] == "internal");
    CHECK(protocol::to_json(call)["state"] == "held");
    call.state = cti::CallState::dialing;
    CHECK(protocol::to_json(call)["state"] == "dialing");
    call.state = cti::CallState::connected;
    CHECK(protocol::to_json(call)["state"] == "connected");

    const std::pair<cti::EndReason, const char*> reasons[] = {
        {cti::EndReason::normal, "normal"},
        {cti::EndReason::missed, "missed"},
        {cti::EndReason::rejected, "rejected"},
        {cti::EndReason::busy, "busy"},
        {cti::EndReason::failed, "failed"},
        {cti::EndReason::answered_elsewhere, "answered_elsewhere"},
        {cti::EndReason::driver_lost, "driver_lost"},
    };
    for (const auto& [reason, name] : reasons) {
        call.end_reason = reason;
        CHECK(protocol::to_json(call)["end_reason"] == name);
    }
}

TEST_CASE("driver info: name status and detail", "[protocol]") {
    const protocol::DriverInfo info{"simulator", {cti::DriverState::disconnected, "lost it"}};
    CHECK(protocol::to_json(info) ==
          json{{"name", "simulator"}, {"status", "disconnected"}, {"detail", "lost it"}});
}

// ---- frames the server sends ----

TEST_CASE("hello frame", "[protocol][encode]") {
    protocol::Hello hello;
    hello.adapter_version = "0.1.0";
    hello.epoch = "5f3c9a0e12ab77d4";
    hello.driver = {"simulator", {cti::DriverState::connected, ""}};
    hello.capabilities = {cti::Capability::transfer, cti::Capability::dial,
                          cti::Capability::answer, cti::Capability::simulate};
    const json j = parse(protocol::encode_hello(hello));

    CHECK(keys_of(j) == std::set<std::string>{"v", "type", "product", "version", "protocol",
                                              "epoch", "driver", "capabilities", "not_ready_reasons"});
    CHECK(j["v"] == 1);
    CHECK(j["type"] == "hello");
    CHECK(j["product"] == "cti-adapter");
    CHECK(j["version"] == "0.1.0");
    CHECK(j["protocol"] == 1);
    CHECK(j["epoch"] == "5f3c9a0e12ab77d4");
    CHECK(j["driver"] == json{{"name", "simulator"}, {"status", "connected"}, {"detail", ""}});
    // Only the driver's capabilities, in alphabetical order.
    CHECK(j["capabilities"] == json{"answer", "dial", "simulate", "transfer"});

    SECTION("every capability") {
        hello.capabilities = {cti::Capability::dial,    cti::Capability::answer,
                              cti::Capability::decline, cti::Capability::hangup,
                              cti::Capability::hold,    cti::Capability::resume,
                              cti::Capability::transfer, cti::Capability::dtmf,
                              cti::Capability::simulate};
        CHECK(parse(protocol::encode_hello(hello))["capabilities"] ==
              json{"answer", "decline", "dial", "dtmf", "hangup", "hold", "resume", "simulate",
                   "transfer"});
    }
    SECTION("no capabilities gives an empty list") {
        hello.capabilities = {};
        const json none = parse(protocol::encode_hello(hello))["capabilities"];
        CHECK(none.is_array());
        CHECK(none.empty());
    }
}

TEST_CASE("snapshot frame", "[protocol][encode]") {
    protocol::Snapshot snapshot;
    snapshot.epoch = "e1";
    snapshot.seq = 41;
    snapshot.driver = {"simulator", {cti::DriverState::connected, "line 1001"}};
    snapshot.calls = {ringing_call()};

    const json j = parse(protocol::encode_snapshot(snapshot, false));
    CHECK(keys_of(j) ==
          std::set<std::string>{"v", "type", "resync", "epoch", "seq", "driver", "calls", "call_logs", "agent", "screen_pops"});
    CHECK(j["v"] == 1);
    CHECK(j["type"] == "snapshot");
    CHECK(j["resync"] == false);
    CHECK(j["epoch"] == "e1");
    CHECK(j["seq"] == 41);
    CHECK(j["driver"]["detail"] == "line 1001");
    REQUIRE(j["calls"].size() == 1);
    CHECK(j["calls"][0] == protocol::to_json(ringing_call()));
    CHECK(j["screen_pops"] == json::array());

    SECTION("resync") { CHECK(parse(protocol::encode_snapshot(snapshot, true))["resync"] == true); }
    SECTION("no calls gives an empty list") {
        snapshot.calls.clear();
        snapshot.seq = 0;
        const json empty = parse(protocol::encode_snapshot(snapshot, false));
        CHECK(empty["calls"] == json::array());
        CHECK(empty["seq"] == 0);
    }
    SECTION("the body used for the snapshot command's result has the same data") {
        const json body = protocol::snapshot_body(snapshot);
        CHECK(keys_of(body) == std::set<std::string>{"epoch", "seq", "driver", "calls", "call_logs", "agent", "screen_pops"});
        CHECK(body["seq"] == 41);
        CHECK(body["calls"] == j["calls"]);
    }
}

TEST_CASE("event frame", "[protocol][encode]") {
    auto call = ringing_call();
    call.state = cti::CallState::ended;
    call.end_reason = cti::EndReason::missed;
    const json j = parse(protocol::encode_event(42, "5f3c9a0e12ab77d4",
                                                cti::CallEvent{cti::CallReport::Kind::ended, call}));
    CHECK(keys_of(j) ==
          std::set<std::string>{"v", "type", "seq", "epoch", "name", "call", "reason", "detail"});
    CHECK(j["v"] == 1);
    CHECK(j["type"] == "event");
    CHECK(j["seq"] == 42);
    CHECK(j["epoch"] == "5f3c9a0e12ab77d4");
    CHECK(j["name"] == "call.ended");
    CHECK(j["reason"] == "missed");
    CHECK(j["detail"] == "");
    CHECK(j["call"] == protocol::to_json(call));
}

TEST_CASE("event frame: each call state change has its own name and carries the call",
          "[protocol][encode]") {
    using Kind = cti::CallReport::Kind;
    const std::pair<Kind, const char*> names[] = {
        {Kind::offered, "call.ringing"},     {Kind::dialing, "call.dialing"},
        {Kind::connected, "call.connected"}, {Kind::held, "call.held"},
        {Kind::resumed, "call.resumed"},
    };
    for (const auto& [kind, name] : names) {
        CAPTURE(name);
        const json j = parse(protocol::encode_event(1, "e", cti::CallEvent{kind, ringing_call()}));
        CHECK(j["name"] == name);
        CHECK(keys_of(j) == std::set<std::string>{"v", "type", "seq", "epoch", "name", "call"});
        CHECK(j["call"]["id"] == "5f3c9a0e-3");
    }
}

TEST_CASE("event frame: agent state, call logs and driver status", "[protocol][encode]") {
    SECTION("agent.state carries the agent") {
        cti::AgentState agent;
        agent.mode = cti::AgentState::Mode::not_ready;
        agent.reason = "Lunch";
        agent.since = known_time();
        const json j = parse(protocol::encode_event(3, "e", cti::AgentStateEvent{agent}));
        CHECK(j["name"] == "agent.state");
        CHECK(j["agent"] == protocol::to_json(agent));
        CHECK(j["agent"]["state"] == "not_ready");
        CHECK(j["agent"]["reason"] == "Lunch");
    }
    SECTION("call_log and call_log.saved carry the log") {
        cti::CallLogRecord record;
        record.log_id = "5f3c9a0e-3";
        record.call = ringing_call();
        record.disposition = "Resolved";
        const json logged = parse(protocol::encode_event(4, "e", cti::CallLogEvent{record}));
        CHECK(logged["name"] == "call_log");
        CHECK(logged["log"] == protocol::to_json(record));
        const json saved = parse(protocol::encode_event(5, "e", cti::CallLogSavedEvent{record}));
        CHECK(saved["name"] == "call_log.saved");
        CHECK(saved["log"]["disposition"] == "Resolved");
    }
    SECTION("driver.status carries the driver and its state") {
        const cti::DriverInfo driver{"sip", {cti::DriverState::disconnected, "registrar gone"}};
        const json j = parse(protocol::encode_event(6, "e", cti::DriverStatusEvent{driver}));
        CHECK(j["name"] == "driver.status");
        CHECK(j["status"] == "disconnected");
        CHECK(j["driver"] == protocol::to_json(driver));
    }
}

TEST_CASE("event frame: invalid UTF-8 from a phone system is replaced not thrown",
          "[protocol][encode]") {
    auto call = ringing_call();
    call.from.name = "Ad\xC3\x28 Lovelace\xFF";  // a broken 2-byte sequence and a stray byte
    protocol::Frame frame;
    REQUIRE_NOTHROW(frame = protocol::encode_event(
                        7, "e", cti::CallEvent{cti::CallReport::Kind::offered, call}));
    json j;
    REQUIRE_NOTHROW(j = json::parse(*frame));  // the frame itself is valid UTF-8 JSON
    const auto name = j["call"]["from"]["name"].get<std::string>();
    CHECK(name.find("\xEF\xBF\xBD") != std::string::npos);  // U+FFFD
    CHECK(name.rfind("Ad", 0) == 0);
    CHECK(name.find("Lovelace") != std::string::npos);
    CHECK(j["seq"] == 7);
}

TEST_CASE("result frame", "[protocol][encode]") {
    const json j = parse(protocol::encode_result("7", json{{"call_id", "p-1"}}));
    CHECK(keys_of(j) == std::set<std::string>{"v", "type", "id", "ok", "data"});
    CHECK(j["v"] == 1);
    CHECK(j["type"] == "result");
    CHECK(j["id"] == "7");
    CHECK(j["ok"] == true);
    CHECK(j["data"] == json{{"call_id", "p-1"}});

    SECTION("empty data is an empty object") {
        CHECK(parse(protocol::encode_result("8", json::object()))["data"] == json::object());
    }
}

TEST_CASE("error result frame", "[protocol][encode]") {
    const json j =
        parse(protocol::encode_error_result("7", "no_such_call", "no active call with call_id 'x'"));
    CHECK(keys_of(j) == std::set<std::string>{"v", "type", "id", "ok", "error"});
    CHECK(j["v"] == 1);
    CHECK(j["type"] == "result");
    CHECK(j["id"] == "7");
    CHECK(j["ok"] == false);
    CHECK(j["error"] ==
          json{{"code", "no_such_call"}, {"message", "no active call with call_id 'x'"}});

    SECTION("an unknown id is sent as null") {
        const json anonymous = parse(protocol::encode_error_result("", "bad_request", "m"));
        REQUIRE(anonymous.contains("id"));
        CHECK(anonymous["id"].is_null());
    }
}

TEST_CASE("frame error", "[protocol][encode]") {
    const json j = parse(protocol::encode_frame_error("bad_json", "syntax error at byte 7"));
    CHECK(keys_of(j) == std::set<std::string>{"v", "type", "error"});
    CHECK(j["v"] == 1);
    CHECK(j["type"] == "error");
    CHECK(j["error"] == json{{"code", "bad_json"}, {"message", "syntax error at byte 7"}});
}

TEST_CASE("frames are single-line compact JSON", "[protocol][encode]") {
    const auto frame = protocol::encode_result("1", json{{"a", json{{"b", 1}}}});
    CHECK(frame->find('\n') == std::string::npos);
    CHECK(*frame == R"({"data":{"a":{"b":1}},"id":"1","ok":true,"type":"result","v":1})");
}

// ---- decoding commands ----

TEST_CASE("decode: a valid command", "[protocol][decode]") {
    const auto c = command(R"({"v":1,"type":"dial","id":"7","to":"+1 415 555 0123"})");
    CHECK(c.type == "dial");
    CHECK(c.id == "7");
    CHECK(c.body["to"] == "+1 415 555 0123");
    CHECK(c.body["v"] == 1);

    SECTION("field order does not matter and whitespace is allowed") {
        const auto d = command(" { \"id\" : \"x\" , \"type\" : \"ping\" , \"v\" : 1 } ");
        CHECK(d.type == "ping");
        CHECK(d.id == "x");
    }
    SECTION("an id of 64 characters is accepted") {
        const std::string id(64, 'a');
        CHECK(command(R"({"v":1,"type":"ping","id":")" + id + R"("})").id == id);
    }
    SECTION("an unknown type still decodes: the handlers answer unknown_command") {
        CHECK(command(R"({"v":1,"type":"frobnicate","id":"1"})").type == "frobnicate");
    }
}

TEST_CASE("decode: not JSON is a frame-level bad_json", "[protocol][decode]") {
    for (const char* text : {"{oops", "", "{\"v\":1,", "nul", "{\"a\":1}}"}) {
        CAPTURE(text);
        const auto e = decode_error(text);
        CHECK(e.frame_level);
        CHECK(e.code == "bad_json");
        CHECK_FALSE(e.message.empty());
        CHECK(e.id.empty());
    }
}

TEST_CASE("decode: a number beyond a double's range is a frame-level bad_json, not a crash",
          "[protocol][decode]") {
    // Found by the command_decoder fuzzer: the parser throws out_of_range, not parse_error.
    for (const char* text : {"55e5500000000", R"({"v":1,"type":"dial","id":"1","number":1e999})"}) {
        CAPTURE(text);
        const auto e = decode_error(text);
        CHECK(e.frame_level);
        CHECK(e.code == "bad_json");
        CHECK(e.message == "the frame holds a number too large to represent");
    }
}

TEST_CASE("decode: invalid UTF-8 is a frame-level bad_json", "[protocol][decode]") {
    const auto e = decode_error("{\"v\":1,\"type\":\"ping\",\"id\":\"\xFF\"}");
    CHECK(e.frame_level);
    CHECK(e.code == "bad_json");
}

TEST_CASE("decode: JSON that is not an object is a frame-level not_an_object",
          "[protocol][decode]") {
    for (const char* text : {"[1,2]", "42", "\"text\"", "null", "true", "[]"}) {
        CAPTURE(text);
        const auto e = decode_error(text);
        CHECK(e.frame_level);
        CHECK(e.code == "not_an_object");
        CHECK(e.id.empty());
    }
    CHECK_THAT(decode_error("[1]").message, Catch::Contains("array"));
}

TEST_CASE("decode: a missing or non-string type is bad_request carrying the id",
          "[protocol][decode]") {
    SECTION("missing") {
        const auto e = decode_error(R"({"v":1,"id":"7"})");
        CHECK_FALSE(e.frame_level);
        CHECK(e.code == "bad_request");
        CHECK_THAT(e.message, Catch::Contains("'type'"));
        CHECK(e.id == "7");
    }
    SECTION("not a string") {
        const auto e = decode_error(R"({"v":1,"type":5,"id":"7"})");
        CHECK(e.code == "bad_request");
        CHECK_THAT(e.message, Catch::Contains("'type'"));
        CHECK(e.id == "7");
    }
    SECTION("missing, and no id either: id is null") {
        const auto e = decode_error(R"({"v":1})");
        CHECK(e.code == "bad_request");
        CHECK(e.id.empty());
    }
}

TEST_CASE("decode: a missing v is bad_request", "[protocol][decode]") {
    const auto e = decode_error(R"({"type":"ping","id":"7"})");
    CHECK_FALSE(e.frame_level);
    CHECK(e.code == "bad_request");
    CHECK_THAT(e.message, Catch::Contains("'v'"));
    CHECK(e.id == "7");
}

TEST_CASE("decode: v other than 1 is unsupported_version carrying the id", "[protocol][decode]") {
    for (const char* v : {"2", "0", "-1", "\"1\"", "1.5", "null"}) {
        CAPTURE(v);
        const auto e = decode_error(std::string(R"({"type":"ping","id":"abc","v":)") + v + "}");
        CHECK_FALSE(e.frame_level);
        CHECK(e.code == "unsupported_version");
        CHECK(e.id == "abc");
        CHECK_THAT(e.message, Catch::Contains("1"));
    }
}

TEST_CASE("decode: a missing id is bad_request with a null id", "[protocol][decode]") {
    const auto e = decode_error(R"({"v":1,"type":"ping"})");
    CHECK_FALSE(e.frame_level);
    CHECK(e.code == "bad_request");
    CHECK_THAT(e.message, Catch::Contains("'id'"));
    CHECK(e.id.empty());
}

TEST_CASE("decode: an id that is not a string of 1-64 characters is bad_request",
          "[protocol][decode]") {
    const std::string long_id(65, 'a');
    for (const std::string& id : {std::string("7"), std::string("null"), std::string("[\"7\"]"),
                                 std::string("\"\""), "\"" + long_id + "\""}) {
        CAPTURE(id);
        const auto e = decode_error(R"({"v":1,"type":"ping","id":)" + id + "}");
        CHECK_FALSE(e.frame_level);
        CHECK(e.code == "bad_request");
        CHECK_THAT(e.message, Catch::Contains("'id'"));
        CHECK(e.id.empty());
    }
}

// ---- fields ----

TEST_CASE("string_field: the value when present", "[protocol][field]") {
    const json body{{"to", "123"}, {"call_id", "p-1"}};
    CHECK(protocol::string_field(body, "to").value() == "123");
    CHECK(protocol::string_field(body, "call_id", 3).value() == "p-1");
}

TEST_CASE("string_field: errors name the field", "[protocol][field]") {
    SECTION("missing") {
        CHECK(field_error(json{{"x", 1}}, "call_id") == "'call_id' is missing");
    }
    SECTION("wrong type") {
        const auto message = field_error(json{{"to", 5}}, "to");
        CHECK_THAT(message, Catch::StartsWith("'to' must be a string"));
        CHECK_THAT(message, Catch::Contains("number"));
        CHECK_THAT(field_error(json{{"to", nullptr}}, "to"), Catch::Contains("null"));
    }
    SECTION("empty") {
        CHECK(field_error(json{{"digits", ""}}, "digits") == "'digits' must be 1 to 256 characters");
    }
    SECTION("too long for the given maximum") {
        CHECK(field_error(json{{"digits", std::string(33, '1')}}, "digits", 32) ==
              "'digits' must be 1 to 32 characters");
        CHECK(protocol::string_field(json{{"digits", std::string(32, '1')}}, "digits", 32).value() ==
              std::string(32, '1'));
    }
}
