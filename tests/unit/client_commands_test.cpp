// The commands the command line sends (protocol/client_commands), read back by the adapter's own
// decoders: what `cti-adapter dial`, `simulate` and `pair` send is what the adapter takes.
#include <catch2/catch.hpp>

#include <string>
#include <variant>

#include "protocol/client_commands.hpp"
#include "protocol/command_fields.hpp"
#include "protocol/messages.hpp"
#include "protocol/simulate_command.hpp"
#include "support/result_checks.hpp"
#include "support/temp_dir.hpp"

namespace protocol = cti::protocol;
using Catch::Matchers::Contains;
using cti::test::error_message;

namespace {

// The command as the adapter decodes it.
protocol::Command sent(const protocol::ClientCommand& command) {
    auto decoded = protocol::decode_command(protocol::encode_client_command("cli-1", command));
    if (const auto* error = std::get_if<protocol::DecodeError>(&decoded))
        FAIL("the adapter refused it: " << error->code << ": " << error->message);
    auto taken = std::get<protocol::Command>(std::move(decoded));
    CHECK(taken.id == "cli-1");
    return taken;
}

cti::Injection injection_of(const protocol::Command& command) {
    auto injection = protocol::decode_injection(command.body);
    if (!injection) FAIL("the simulate command was refused: " << injection.error().message);
    return *injection;
}

}  // namespace

TEST_CASE("client commands: dial is sent as the command line always sent it", "[protocol][client]") {
    CHECK(protocol::encode_client_command("cli-1", protocol::DialCommand{"+14155550123"}) ==
          R"({"id":"cli-1","to":"+14155550123","type":"dial","v":1})");
    const auto dial = sent(protocol::DialCommand{"0041 44 123"});
    CHECK(dial.type == "dial");
    CHECK(protocol::dial_to_field(dial.body) == "0041 44 123");
}

TEST_CASE("client commands: simulate incoming carries the caller the number called and internal", "[protocol][client]") {
    const auto command = sent(protocol::SimulateIncomingCommand{{"+14155550123", "Ada Lovelace"}, "1001", true});
    CHECK(command.type == "simulate");
    const auto injection = injection_of(command);
    CHECK(injection.action == cti::Injection::Action::incoming);
    CHECK(injection.from == cti::Party{"+14155550123", "Ada Lovelace"});
    CHECK(injection.to == "1001");
    CHECK(injection.internal);

    // Without --to the adapter rings the simulated line's own number.
    const auto plain = injection_of(sent(protocol::SimulateIncomingCommand{{"100", ""}, "", false}));
    CHECK(plain.to.empty());
    CHECK_FALSE(plain.internal);
}

TEST_CASE("client commands: every far-end action on a call is one the adapter takes", "[protocol][client]") {
    for (const auto& [name, action] : protocol::simulated_call_actions) {
        INFO(name);
        const auto command = sent(protocol::SimulateCallCommand{action, "c-1"});
        CHECK(injection_of(command).action == action);
        CHECK(protocol::call_id_field(command.body) == "c-1");
    }
}

TEST_CASE("client commands: a scenario file is sent as it is", "[protocol][client][scenario]") {
    cti::test::TempDir dir;
    const auto file = dir.write("busy.json", R"({"name":"busy","steps":[
        {"at_ms":0,"action":"incoming","call":"a","from":"100"},
        {"at_ms":500,"action":"busy","call":"a"}]})");
    const auto scenario = protocol::read_scenario_file(file);
    REQUIRE(scenario);
    const auto injection = injection_of(sent(protocol::SimulateScenarioCommand{*scenario}));
    CHECK(injection.action == cti::Injection::Action::scenario);
    CHECK(injection.scenario.name == "busy");
    CHECK(injection.scenario.steps.size() == 2);
}

TEST_CASE("client commands: a scenario file that cannot be read or is not JSON is an Error naming it",
          "[protocol][client][scenario]") {
    cti::test::TempDir dir;
    const auto missing = (dir.path / "missing.json").string();
    CHECK_THAT(error_message(protocol::read_scenario_file(missing), cti::ErrorKind::not_found),
               Contains(missing + ": cannot read the scenario file"));
    const auto broken = dir.write("broken.json", R"({"steps": [)");
    CHECK_THAT(error_message(protocol::read_scenario_file(broken)), Contains(broken + ": not valid JSON: "));
    const auto huge = dir.write("huge.json", R"({"steps": 1e999})");
    CHECK_THAT(error_message(protocol::read_scenario_file(huge)), Contains(huge + ": not valid JSON: "));
}

TEST_CASE("client commands: pairing list and revoke", "[protocol][client][pairing]") {
    CHECK(sent(protocol::PairingListCommand{}).type == "pairing.list");
    const auto revoke = sent(protocol::PairingRevokeCommand{"https://crm.example.com"});
    CHECK(revoke.type == "pairing.revoke");
    CHECK(protocol::pairing_target_field(revoke.body) == "https://crm.example.com");
}
