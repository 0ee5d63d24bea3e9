// A scripted sequence of simulated calls, read from JSON (see docs/PROTOCOL.md, section 6).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace cti::simulator {

struct ScenarioStep {
    std::int64_t at_ms = 0;  // from the start of the scenario
    std::string action;      // a phone-side action, see is_phone_action()
    std::string call;        // the scenario's own label for the call
    std::string from;        // incoming
    std::string name;        // incoming: caller name
    std::string to;          // incoming (called number), dial, transfer
    bool internal = false;   // incoming
};

struct Scenario {
    std::string name;
    std::vector<ScenarioStep> steps;  // sorted by at_ms, stable
};

// Phone-side actions a scenario step (or a `simulate` command) may use.
bool is_phone_action(const std::string& action);

// Throws std::invalid_argument naming the field ("scenario.steps[2].action: ...").
Scenario parse_scenario(const nlohmann::json& json);

}  // namespace cti::simulator
