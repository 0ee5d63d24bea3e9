// Decoding the `simulate` command (docs/PROTOCOL.md, section 6) into the typed Injection a
// driver with the `simulate` capability carries out, scenario objects included.
#pragma once

#include <nlohmann/json.hpp>

#include "cti/driver.hpp"
#include "cti/result.hpp"
#include "cti/simulated_scenario.hpp"

namespace cti::protocol {

// The command's fields besides `type`, `id` and `call_id`. An error (invalid_input) names the
// field and what was expected ("scenario.steps[2].action: unknown action 'explode'").
Result<Injection> decode_injection(const nlohmann::json& body);

// A scenario object, as a `scenario` injection carries it and `cti-adapter simulate scenario
// FILE` reads it. Steps come out sorted by time; every call is started before it is used.
Result<SimulatedScenario> decode_scenario(const nlohmann::json& json);

}  // namespace cti::protocol
