// Decoding the `simulate` command and its scenarios (docs/PROTOCOL.md, section 6).
#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "protocol/simulate_command.hpp"

using cti::Injection;
using cti::PhoneAction;
using cti::SimulatedScenario;
using cti::protocol::decode_injection;
using cti::protocol::decode_scenario;
using nlohmann::json;

namespace {

// A scenario that must decode.
SimulatedScenario parse_scenario(const json& scenario) {
    auto decoded = decode_scenario(scenario);
    if (!decoded) FAIL("scenario refused: " << decoded.error().message);
    return *decoded;
}

// The error's words for `text`, which must be refused as invalid input.
std::string error_for(const std::string& text) {
    auto decoded = decode_scenario(json::parse(text));
    if (decoded) FAIL("scenario accepted: " << text);
    CHECK(decoded.error().kind == cti::ErrorKind::invalid_input);
    return decoded.error().message;
}

// A scenario with one more step (a JSON object text) after an incoming call "a".
std::string with_step(const std::string& step) {
    return R"({"steps":[{"at_ms":0,"action":"incoming","call":"a","from":"100"},)" + step + "]}";
}

}  // namespace

TEST_CASE("scenario: a good scenario is read steps sorted by time", "[scenario]") {
    const SimulatedScenario scenario = parse_scenario(json::parse(R"({
        "name": "busy day",
        "description": "two calls",
        "steps": [
            {"at_ms": 4000, "action": "remote_hangup", "call": "a"},
            {"at_ms": 0,    "action": "incoming", "call": "a", "from": "+1 (415) 555-0123",
             "name": "Ada Lovelace", "to": "1001", "internal": false},
            {"at_ms": 1000, "action": "dial", "call": "b", "to": "020 7123.4567"},
            {"at_ms": 1000, "action": "remote_answer", "call": "b"},
            {"at_ms": 2000, "action": "hold", "call": "b"},
            {"at_ms": 2500, "action": "transfer", "call": "b", "to": "+44 20"},
            {"action": "incoming", "call": "c", "from": "200", "internal": true}
        ]
    })"));
    CHECK(scenario.name == "busy day");
    REQUIRE(scenario.steps.size() == 7);

    // Stable sort: the step without at_ms (0) follows the other step at 0; steps at the same
    // time keep their order.
    const auto& incoming = scenario.steps[0];
    CHECK(incoming.at_ms == 0);
    CHECK(incoming.action == PhoneAction::incoming);
    CHECK(incoming.call == "a");
    CHECK(incoming.from == "+14155550123");
    CHECK(incoming.name == "Ada Lovelace");
    CHECK(incoming.to == "1001");
    CHECK_FALSE(incoming.internal);

    CHECK(scenario.steps[1].call == "c");
    CHECK(scenario.steps[1].at_ms == 0);
    CHECK(scenario.steps[1].internal);
    CHECK(scenario.steps[1].to.empty());

    CHECK(scenario.steps[2].action == PhoneAction::dial);
    CHECK(scenario.steps[2].to == "02071234567");
    CHECK(scenario.steps[2].from.empty());
    CHECK(scenario.steps[3].action == PhoneAction::remote_answer);
    CHECK(scenario.steps[4].action == PhoneAction::hold);
    CHECK(scenario.steps[5].action == PhoneAction::transfer);
    CHECK(scenario.steps[5].to == "+4420");
    CHECK(scenario.steps[6].action == PhoneAction::remote_hangup);
    CHECK(scenario.steps[6].at_ms == 4000);
}

TEST_CASE("scenario: the name is optional", "[scenario]") {
    const auto scenario =
        parse_scenario(json::parse(R"({"steps":[{"action":"incoming","call":"x","from":"1"}]})"));
    CHECK(scenario.name.empty());
    REQUIRE(scenario.steps.size() == 1);
    CHECK(scenario.steps[0].at_ms == 0);
}

TEST_CASE("scenario: every phone action is accepted, decline and unknown names are not", "[scenario]") {
    for (auto action : {PhoneAction::incoming, PhoneAction::dial, PhoneAction::answer,
                        PhoneAction::remote_answer, PhoneAction::remote_hangup, PhoneAction::hangup,
                        PhoneAction::busy, PhoneAction::hold, PhoneAction::resume,
                        PhoneAction::transfer, PhoneAction::answered_elsewhere}) {
        // incoming and dial start a call of their own; the rest act on call "a".
        const bool starts = action == PhoneAction::incoming || action == PhoneAction::dial;
        const auto step = json{{"action", to_string(action)}, {"call", starts ? "b" : "a"},
                               {"from", "300"}, {"to", "200"}};
        const auto scenario =
            parse_scenario(json::parse(with_step(step.dump())));
        CHECK(scenario.steps.back().action == action);
    }
    for (const char* name : {"explode", "", "Incoming", "scenario", "decline"})
        CHECK_THAT(error_for(with_step(json{{"action", name}, {"call", "a"}}.dump())),
                   Catch::Contains("unknown action"));
}

TEST_CASE("scenario: the whole must be an object with a non-empty steps list", "[scenario]") {
    CHECK_THAT(error_for("[]"), Catch::StartsWith("scenario: "));
    CHECK_THAT(error_for(R"({"name":"x"})"), Catch::StartsWith("scenario.steps: "));
    CHECK_THAT(error_for(R"({"steps":[]})"), Catch::StartsWith("scenario.steps: "));
    CHECK_THAT(error_for(R"({"steps":{}})"), Catch::StartsWith("scenario.steps: "));
    CHECK_THAT(error_for(R"({"name":5,"steps":[{"action":"incoming","call":"a","from":"1"}]})"),
               Catch::StartsWith("scenario.name: "));
    CHECK_THAT(error_for(R"({"steps":[{"action":"incoming","call":"a","from":"1"}],"extra":1})"),
               Catch::StartsWith("scenario.extra: unknown field"));
}

TEST_CASE("scenario: a step that is not an object is named", "[scenario]") {
    CHECK(error_for(with_step("5")) == "scenario.steps[1]: expected an object");
    CHECK(error_for(with_step(R"("hangup")")) == "scenario.steps[1]: expected an object");
}

TEST_CASE("scenario: an unknown field of a step is named", "[scenario]") {
    CHECK(error_for(with_step(R"({"action":"hangup","call":"a","colour":"red"})")) ==
          "scenario.steps[1].colour: unknown field");
}

TEST_CASE("scenario: an unknown or missing action is named", "[scenario]") {
    CHECK_THAT(error_for(with_step(R"({"action":"explode","call":"a"})")),
               Catch::StartsWith("scenario.steps[1].action: unknown action 'explode'"));
    CHECK_THAT(error_for(with_step(R"({"call":"a"})")),
               Catch::StartsWith("scenario.steps[1].action: missing"));
    CHECK_THAT(error_for(with_step(R"({"action":7,"call":"a"})")),
               Catch::StartsWith("scenario.steps[1].action: expected a string"));
}

TEST_CASE("scenario: a bad call label is named", "[scenario]") {
    CHECK_THAT(error_for(with_step(R"({"action":"hangup"})")),
               Catch::StartsWith("scenario.steps[1].call: missing"));
    CHECK_THAT(error_for(with_step(R"({"action":"hangup","call":""})")),
               Catch::StartsWith("scenario.steps[1].call: "));
    CHECK_THAT(error_for(with_step(R"({"action":"hangup","call":")" + std::string(65, 'a') + R"("})")),
               Catch::StartsWith("scenario.steps[1].call: "));
}

TEST_CASE("scenario: a bad at_ms is named", "[scenario]") {
    for (const char* at : {"-1", "1.5", "\"100\"", "86400001", "true"}) {
        CAPTURE(at);
        CHECK_THAT(error_for(with_step(std::string(R"({"action":"hangup","call":"a","at_ms":)") +
                                       at + "}")),
                   Catch::StartsWith("scenario.steps[1].at_ms: "));
    }
    // The bounds themselves are fine.
    CHECK_NOTHROW(parse_scenario(json::parse(with_step(R"({"action":"hangup","call":"a","at_ms":86400000})"))));
}

TEST_CASE("scenario: a bad number is named", "[scenario]") {
    CHECK_THAT(error_for(R"({"steps":[{"action":"incoming","call":"a","from":"100@evil"}]})"),
               Catch::StartsWith("scenario.steps[0].from: ") && Catch::Contains("100@evil"));
    CHECK_THAT(error_for(R"({"steps":[{"action":"incoming","call":"a"}]})"),
               Catch::StartsWith("scenario.steps[0].from: missing"));
    CHECK_THAT(error_for(R"({"steps":[{"action":"incoming","call":"a","from":""}]})"),
               Catch::StartsWith("scenario.steps[0].from: "));
    CHECK_THAT(error_for(R"({"steps":[{"action":"incoming","call":"a","from":5}]})"),
               Catch::StartsWith("scenario.steps[0].from: expected a string"));
    CHECK_THAT(error_for(R"({"steps":[{"action":"dial","call":"b"}]})"),
               Catch::StartsWith("scenario.steps[0].to: missing"));
    CHECK_THAT(error_for(R"({"steps":[{"action":"dial","call":"b","to":"abc"}]})"),
               Catch::StartsWith("scenario.steps[0].to: "));
    CHECK_THAT(error_for(with_step(R"({"action":"transfer","call":"a","to":"1;2"})")),
               Catch::StartsWith("scenario.steps[1].to: "));
    CHECK_THAT(error_for(with_step(R"({"action":"transfer","call":"a"})")),
               Catch::StartsWith("scenario.steps[1].to: missing"));
}

TEST_CASE("scenario: other bad step fields are named", "[scenario]") {
    CHECK_THAT(error_for(R"({"steps":[{"action":"incoming","call":"a","from":"1","internal":"yes"}]})"),
               Catch::StartsWith("scenario.steps[0].internal: "));
    CHECK_THAT(error_for(R"({"steps":[{"action":"incoming","call":"a","from":"1","name":5}]})"),
               Catch::StartsWith("scenario.steps[0].name: "));
    CHECK_THAT(error_for(R"({"steps":[{"action":"incoming","call":"a","from":"1","name":")" +
                         std::string(129, 'n') + R"("}]})"),
               Catch::StartsWith("scenario.steps[0].name: "));
}

TEST_CASE("scenario: a call used before it is started is refused", "[scenario]") {
    SECTION("never started") {
        CHECK_THAT(error_for(R"({"steps":[{"action":"hangup","call":"z"}]})"),
                   Catch::StartsWith("scenario.steps: call 'z' is used") &&
                       Catch::Contains("hangup at 0 ms"));
    }
    SECTION("started later in time, although earlier in the list") {
        CHECK_THAT(error_for(R"({"steps":[
                       {"at_ms":500,"action":"incoming","call":"a","from":"1"},
                       {"at_ms":100,"action":"answer","call":"a"}]})"),
                   Catch::Contains("call 'a' is used (answer at 100 ms) before"));
    }
}

TEST_CASE("scenario: a call started twice is refused", "[scenario]") {
    CHECK_THAT(error_for(with_step(R"({"at_ms":10,"action":"incoming","call":"a","from":"2"})")),
               Catch::StartsWith("scenario.steps: call 'a' is started twice"));
    CHECK_THAT(error_for(with_step(R"({"at_ms":10,"action":"dial","call":"a","to":"2"})")),
               Catch::Contains("started twice"));
}

TEST_CASE("simulate: incoming is decoded with its caller, called number and internal flag", "[scenario]") {
    auto injection = decode_injection(json{{"action", "incoming"}, {"from", "+1 415 555 0123"},
                                          {"name", "Ada"}, {"to", "1001"}, {"internal", true}});
    REQUIRE(injection);
    CHECK(injection->action == Injection::Action::incoming);
    CHECK(injection->from == cti::Party{"+14155550123", "Ada"});
    CHECK(injection->to == "1001");
    CHECK(injection->internal);
}

TEST_CASE("simulate: the call actions and a scenario are decoded", "[scenario]") {
    CHECK(decode_injection(json{{"action", "remote_answer"}, {"call_id", "c1"}})->action == Injection::Action::remote_answer);
    CHECK(decode_injection(json{{"action", "remote_hangup"}})->action == Injection::Action::remote_hangup);
    CHECK(decode_injection(json{{"action", "busy"}})->action == Injection::Action::busy);
    CHECK(decode_injection(json{{"action", "answered_elsewhere"}})->action == Injection::Action::answered_elsewhere);
    auto scenario = decode_injection(json{{"action", "scenario"}, {"scenario", json::parse(with_step(R"({"action":"hangup","call":"a"})"))}});
    REQUIRE(scenario);
    CHECK(scenario->action == Injection::Action::scenario);
    CHECK(scenario->scenario.steps.size() == 2);
}

TEST_CASE("simulate: a bad injection is refused with the field and what was expected", "[scenario]") {
    const auto refusal = [](const json& body) {
        auto decoded = decode_injection(body);
        REQUIRE_FALSE(decoded);
        CHECK(decoded.error().kind == cti::ErrorKind::invalid_input);
        return decoded.error().message;
    };
    CHECK_THAT(refusal(json::object()), Catch::Contains("'action' must be one of incoming"));
    CHECK_THAT(refusal(json{{"action", 7}}), Catch::Contains("'action' must be one of"));
    CHECK_THAT(refusal(json{{"action", "incoming"}}), Catch::Contains("'from' is required"));
    CHECK_THAT(refusal(json{{"action", "incoming"}, {"from", "12@evil"}}), Catch::Contains("'from' is not a dial string"));
    CHECK_THAT(refusal(json{{"action", "incoming"}, {"from", "1"}, {"name", std::string(129, 'x')}}), Catch::Contains("at most 128"));
    CHECK_THAT(refusal(json{{"action", "incoming"}, {"from", "1"}, {"to", 5}}), Catch::Contains("'to' is not a dial string"));
    CHECK_THAT(refusal(json{{"action", "incoming"}, {"from", "1"}, {"internal", "yes"}}), Catch::Contains("'internal' must be true or false"));
    CHECK_THAT(refusal(json{{"action", "incoming"}, {"from", "1"}, {"call_id", "c1"}}), Catch::Contains("takes no 'call_id'"));
    CHECK_THAT(refusal(json{{"action", "scenario"}}), Catch::Contains("'scenario' is missing"));
    CHECK_THAT(refusal(json{{"action", "scenario"}, {"scenario", {{"steps", json::array()}}}}), Catch::Contains("scenario.steps"));
}

TEST_CASE("simulate: a bad step deep in a scenario injection is named by its path", "[scenario]") {
    auto decoded = decode_injection(
        json{{"action", "scenario"}, {"scenario", json::parse(with_step(R"({"action":"dial","call":"b","to":"x@y"})"))}});
    REQUIRE_FALSE(decoded);
    CHECK(decoded.error().kind == cti::ErrorKind::invalid_input);
    CHECK(decoded.error().message == "scenario.steps[1].to: 'x@y' is not a dial string (digits, *, #, leading +)");
}
