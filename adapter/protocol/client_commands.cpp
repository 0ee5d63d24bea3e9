#include "protocol/client_commands.hpp"

#include <fstream>
#include <sstream>

namespace cti::protocol {
namespace {

using nlohmann::json;

std::string_view action_name(Injection::Action action) {
    for (const auto& known : simulated_call_actions)
        if (known.action == action) return known.name;
    return "";  // not an action on one call: decode_injection refuses it
}

// Each command's `type` and fields.
struct CommandFields {
    json operator()(const DialCommand& dial) const { return {{"type", "dial"}, {"to", dial.to}}; }
    json operator()(const SimulateIncomingCommand& incoming) const {
        json command{{"type", "simulate"},
                     {"action", "incoming"},
                     {"from", incoming.caller.number},
                     {"name", incoming.caller.name},
                     {"internal", incoming.internal}};
        if (!incoming.to.empty()) command["to"] = incoming.to;
        return command;
    }
    json operator()(const SimulateCallCommand& call) const {
        return {{"type", "simulate"}, {"action", action_name(call.action)}, {"call_id", call.call_id}};
    }
    json operator()(const SimulateScenarioCommand& scenario) const {
        return {{"type", "simulate"}, {"action", "scenario"}, {"scenario", scenario.scenario.content}};
    }
    json operator()(const PairingListCommand&) const { return {{"type", "pairing.list"}}; }
    json operator()(const PairingRevokeCommand& revoke) const {
        return {{"type", "pairing.revoke"}, {"target", revoke.target}};
    }
};

}  // namespace

std::string encode_client_command(const RequestId& id, const ClientCommand& command) {
    auto frame = std::visit(CommandFields{}, command);
    frame["v"] = version;
    frame["id"] = id;
    // What a person typed may be invalid UTF-8: replaced, never thrown (the adapter refuses it).
    return frame.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<ScenarioDocument> read_scenario_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        std::error_code ignored;
        return fail(std::filesystem::exists(file, ignored) ? ErrorKind::failed : ErrorKind::not_found,
                    file.string() + ": cannot read the scenario file");
    }
    std::ostringstream text;
    text << in.rdbuf();
    try {
        return ScenarioDocument{json::parse(text.str())};
    } catch (const json::exception& error) {  // syntax errors and numbers out of range
        return fail(ErrorKind::invalid_input, file.string() + ": not valid JSON: " + error.what());
    }
}

}  // namespace cti::protocol
