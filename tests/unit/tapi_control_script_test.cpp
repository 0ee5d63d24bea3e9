// Control commands and script files of the emulated TAPI provider.
#include <sstream>

#include <catch2/catch.hpp>

#include "tapi/line_constants.hpp"
#include "tapi/provider_script.hpp"

using namespace cti;
using namespace cti::tapi;
using nlohmann::json;

namespace {

std::string control_problem(const json& object) {
    auto parsed = parse_control(object);
    CHECK_FALSE(parsed.command);
    return parsed.problem;
}

// The words of the error for a script that must be refused as invalid input.
std::string script_error(const std::string& text) {
    std::istringstream input(text);
    auto parsed = parse_script(input);
    if (parsed) FAIL("the script was accepted: " << text);
    CHECK(parsed.error().kind == ErrorKind::invalid_input);
    return parsed.error().message;
}

}  // namespace

TEST_CASE("tapi control: an offer with every field", "[tapi]") {
    auto parsed = parse_control({{"control", "offer"},
                                 {"call", "a"},
                                 {"from", "555-1234"},
                                 {"name", "Alice"},
                                 {"to", "2002"},
                                 {"internal", true},
                                 {"hangup_after_answer_ms", 250}});
    REQUIRE(parsed.command);
    const auto& command = *parsed.command;
    CHECK(command.kind == ControlCommand::Kind::offer);
    CHECK(command.call == "a");
    CHECK(command.from == Party{"5551234", "Alice"});
    CHECK(command.to == "2002");
    CHECK(command.internal);
    CHECK(command.hangup_after_answer_ms == 250);
}

TEST_CASE("tapi control: disconnect and raw state take names or values", "[tapi]") {
    auto by_name = parse_control({{"control", "disconnect"}, {"call", "a"}, {"mode", "NOANSWER"}});
    REQUIRE(by_name.command);
    CHECK(by_name.command->mode == value_of(DisconnectMode::noanswer));
    auto by_full_name = parse_control(
        {{"control", "disconnect"}, {"call", "a"}, {"mode", "LINEDISCONNECTMODE_PICKUP"}});
    CHECK(by_full_name.command->mode == value_of(DisconnectMode::pickup));
    auto by_value = parse_control({{"control", "state"}, {"call", "a"}, {"state", 0x400}});
    REQUIRE(by_value.command);
    CHECK(by_value.command->state == value_of(LineCallState::onhold));
    auto simple = parse_control({{"control", "hangup"}, {"call", "a"}});
    REQUIRE(simple.command);
    CHECK(simple.command->kind == ControlCommand::Kind::hangup);
}

TEST_CASE("tapi control: bad commands name the field", "[tapi]") {
    CHECK_THAT(control_problem({{"control", "explode"}}), Catch::StartsWith("'control':"));
    CHECK_THAT(control_problem({{"from", "555"}}), Catch::StartsWith("'control':"));
    CHECK_THAT(control_problem({{"control", "offer"}}), Catch::StartsWith("'from':"));
    CHECK_THAT(control_problem({{"control", "offer"}, {"from", "555@x"}}),
               Catch::StartsWith("'from':"));
    CHECK_THAT(control_problem({{"control", "offer"}, {"from", "555"}, {"name", 5}}),
               Catch::StartsWith("'name':"));
    CHECK_THAT(control_problem({{"control", "offer"}, {"from", "555"}, {"to", "abc"}}),
               Catch::StartsWith("'to':"));
    CHECK_THAT(control_problem({{"control", "offer"}, {"from", "555"}, {"internal", "yes"}}),
               Catch::StartsWith("'internal':"));
    CHECK_THAT(
        control_problem({{"control", "offer"}, {"from", "555"}, {"hangup_after_answer_ms", -1}}),
        Catch::StartsWith("'hangup_after_answer_ms':"));
    CHECK_THAT(control_problem({{"control", "offer"}, {"from", "555"}, {"call", ""}}),
               Catch::StartsWith("'call':"));
    CHECK_THAT(control_problem({{"control", "hangup"}}), Catch::StartsWith("'call':"));
    CHECK_THAT(control_problem({{"control", "disconnect"}, {"call", "a"}}),
               Catch::StartsWith("'mode':"));
    CHECK_THAT(control_problem({{"control", "disconnect"}, {"call", "a"}, {"mode", "SOMETIMES"}}),
               Catch::StartsWith("'mode':"));
    CHECK_THAT(control_problem({{"control", "state"}, {"call", "a"}}),
               Catch::StartsWith("'state':"));
    CHECK_THAT(control_problem({{"control", "state"}, {"call", "a"}, {"state", 3}}),
               Catch::StartsWith("'state':"));
}

TEST_CASE("tapi script: steps with times, comments and blank lines", "[tapi]") {
    std::istringstream input(
        "# Alice calls and gives up\n"
        "\n"
        R"({"at_ms": 100, "control": "offer", "call": "alice", "from": "5551234", "name": "Alice"})"
        "\n"
        "   # indented comment\r\n"
        R"({"at_ms": 9000, "control": "disconnect", "call": "alice", "mode": "NOANSWER"})"
        "\r\n");
    auto parsed = parse_script(input);
    REQUIRE(parsed);
    const auto& steps = *parsed;
    REQUIRE(steps.size() == 2);
    CHECK(steps[0].at_ms == 100);
    CHECK(steps[0].line == 3);
    CHECK(steps[0].command.kind == ControlCommand::Kind::offer);
    CHECK(steps[0].command.from.name == "Alice");
    CHECK(steps[1].at_ms == 9000);
    CHECK(steps[1].line == 5);
    CHECK(steps[1].command.mode == value_of(DisconnectMode::noanswer));
}

TEST_CASE("tapi script: errors name the line and the field", "[tapi]") {
    const std::string good = R"({"at_ms": 0, "control": "offer", "from": "555"})"
                             "\n";
    CHECK(script_error(good + "not json\n") == "line 2: expected one JSON object on the line");
    CHECK(script_error(good + "[1]\n") == "line 2: expected one JSON object on the line");
    CHECK_THAT(script_error(good + good + R"({"control": "hangup", "call": "a"})"),
               Catch::StartsWith("line 3: 'at_ms':"));
    CHECK_THAT(script_error(R"({"at_ms": -5, "control": "hangup", "call": "a"})"),
               Catch::StartsWith("line 1: 'at_ms':"));
    CHECK_THAT(script_error(R"({"at_ms": "soon", "control": "hangup", "call": "a"})"),
               Catch::StartsWith("line 1: 'at_ms':"));
    CHECK_THAT(script_error("#\n"
                            R"({"at_ms": 5, "control": "offer", "from": "x"})"),
               Catch::StartsWith("line 2: 'from':"));
    CHECK_THAT(script_error(R"({"at_ms": 5, "control": "hangup"})"),
               Catch::StartsWith("line 1: 'call':"));
    CHECK_THAT(script_error(R"({"at_ms": 5, "control": "hangup", "call": "a", "colour": "red"})"),
               Catch::StartsWith("line 1: 'colour': unknown field"));
}

TEST_CASE("tapi script: an empty file has no steps", "[tapi]") {
    std::istringstream input("# nothing yet\n\n");
    auto parsed = parse_script(input);
    REQUIRE(parsed);
    CHECK(parsed->empty());
}
