// The commands a client sends the adapter (docs/PROTOCOL.md, 2 and 6), as `cti-adapter dial`,
// `simulate` and `pair` send them: typed here, encoded into a frame with `v` and `id`.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

#include "cti/call.hpp"
#include "cti/driver.hpp"
#include "cti/result.hpp"
#include "protocol/messages.hpp"

namespace cti::protocol {

struct DialCommand {
    std::string to;  // as typed: the adapter normalises it
};

// simulate: an incoming call rings.
struct SimulateIncomingCommand {
    Party caller;
    std::string to;  // empty: the simulated line's own number
    bool internal = false;
};

// simulate: the far end does something to one call.
struct SimulateCallCommand {
    Injection::Action action = Injection::Action::remote_answer;
    std::string call_id;
};

// A scenario file's JSON, sent as it is: the adapter checks it (protocol::decode_scenario) and
// names what is wrong in its answer.
struct ScenarioDocument {
    nlohmann::json content;
};
struct SimulateScenarioCommand {
    ScenarioDocument scenario;
};

struct PairingListCommand {};
struct PairingRevokeCommand {
    std::string target;  // a pairing's id, or an origin (all of its pairings)
};

using ClientCommand = std::variant<DialCommand, SimulateIncomingCommand, SimulateCallCommand, SimulateScenarioCommand,
                                   PairingListCommand, PairingRevokeCommand>;

// The actions on one call that `simulate` takes, by their names on the wire and on the command line.
struct SimulatedCallAction {
    std::string_view name;
    Injection::Action action;
};
inline constexpr SimulatedCallAction simulated_call_actions[] = {
    {"remote_answer", Injection::Action::remote_answer},
    {"remote_hangup", Injection::Action::remote_hangup},
    {"busy", Injection::Action::busy},
    {"answered_elsewhere", Injection::Action::answered_elsewhere},
};

// The command's frame, with the protocol's version and `id` (which its result echoes).
std::string encode_client_command(const RequestId& id, const ClientCommand& command);

// A scenario file read and parsed. An Error names the file: not_found or failed when it cannot
// be read, invalid_input when it is not JSON.
Result<ScenarioDocument> read_scenario_file(const std::filesystem::path& file);

}  // namespace cti::protocol
