#include "protocol/simulate_command.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <stdexcept>

#include "cti/dial_string.hpp"

namespace cti::protocol {
namespace {

// The actions a scenario step may name (every PhoneAction but decline, a command only).
constexpr std::array scenario_actions{
    PhoneAction::incoming, PhoneAction::dial,   PhoneAction::answer, PhoneAction::remote_answer,
    PhoneAction::remote_hangup, PhoneAction::hangup, PhoneAction::busy, PhoneAction::hold,
    PhoneAction::resume, PhoneAction::transfer, PhoneAction::answered_elsewhere};

std::optional<PhoneAction> scenario_action(std::string_view name) {
    for (auto action : scenario_actions)
        if (to_string(action) == name) return action;
    return std::nullopt;
}

// Thrown inside this file only, and caught at its two entry points: the parser below reads
// deep structures, and one exit keeps it short. It never leaves the file.
struct Invalid {
    std::string message;
};

constexpr std::int64_t max_scenario_ms = 24LL * 3600 * 1000;
constexpr std::size_t max_steps = 10'000;

[[noreturn]] void invalid(const std::string& where, const std::string& problem) {
    throw Invalid{where + ": " + problem};
}

std::string text_field(const nlohmann::json& step, const std::string& where, const char* key,
                       bool required) {
    auto it = step.find(key);
    if (it == step.end()) {
        if (required) invalid(where + "." + key, "missing (a string is required)");
        return {};
    }
    if (!it->is_string()) invalid(where + "." + key, "expected a string");
    return it->get<std::string>();
}

std::string number_field(const nlohmann::json& step, const std::string& where, const char* key,
                         bool required) {
    auto text = text_field(step, where, key, required);
    if (text.empty() && !required) return text;
    auto number = normalize_dial_string(text);
    if (!number) invalid(where + "." + key, "'" + text + "' is not a dial string (digits, *, #, leading +)");
    return *number;
}

ScenarioStep parse_step(const nlohmann::json& json, const std::string& where) {
    if (!json.is_object()) invalid(where, "expected an object");
    for (const auto& [key, value] : json.items()) {
        static constexpr std::array known{"at_ms", "action", "call", "from", "name", "to", "internal"};
        if (std::find(known.begin(), known.end(), key) == known.end())
            invalid(where + "." + key, "unknown field");
    }
    ScenarioStep step;
    auto at = json.find("at_ms");
    if (at != json.end()) {
        if (!at->is_number_integer() || at->get<std::int64_t>() < 0 ||
            at->get<std::int64_t>() > max_scenario_ms)
            invalid(where + ".at_ms", "expected an integer from 0 to 86400000");
        step.at_ms = at->get<std::int64_t>();
    }
    const auto action_name = text_field(json, where, "action", true);
    const auto action = scenario_action(action_name);
    if (!action) invalid(where + ".action", "unknown action '" + action_name + "'");
    step.action = *action;
    step.call = text_field(json, where, "call", true);
    if (step.call.empty() || step.call.size() > 64) invalid(where + ".call", "expected 1 to 64 characters");
    step.from = number_field(json, where, "from", step.action == PhoneAction::incoming);
    step.name = text_field(json, where, "name", false);
    if (step.name.size() > 128) invalid(where + ".name", "longer than 128 characters");
    step.to = number_field(json, where, "to", step.action == PhoneAction::dial || step.action == PhoneAction::transfer);
    if (auto internal = json.find("internal"); internal != json.end()) {
        if (!internal->is_boolean()) invalid(where + ".internal", "expected true or false");
        step.internal = internal->get<bool>();
    }
    return step;
}


SimulatedScenario scenario_of(const nlohmann::json& json) {
    if (!json.is_object()) invalid("scenario", "expected an object with \"steps\"");
    SimulatedScenario scenario;
    if (auto name = json.find("name"); name != json.end()) {
        if (!name->is_string()) invalid("scenario.name", "expected a string");
        scenario.name = name->get<std::string>();
    }
    for (const auto& [key, value] : json.items())
        if (key != "name" && key != "steps" && key != "description")
            invalid("scenario." + key, "unknown field");
    auto steps = json.find("steps");
    if (steps == json.end() || !steps->is_array() || steps->empty())
        invalid("scenario.steps", "expected a non-empty list of steps");
    if (steps->size() > max_steps) invalid("scenario.steps", "more than 10000 steps");
    for (std::size_t i = 0; i < steps->size(); ++i)
        scenario.steps.push_back(parse_step((*steps)[i], "scenario.steps[" + std::to_string(i) + "]"));
    std::stable_sort(scenario.steps.begin(), scenario.steps.end(),
                     [](const auto& a, const auto& b) { return a.at_ms < b.at_ms; });
    // In time order, every call must be started (incoming/dial) once, before it is used.
    std::vector<std::string> started;
    for (const auto& step : scenario.steps) {
        const bool starts_call = step.action == PhoneAction::incoming || step.action == PhoneAction::dial;
        const bool known = std::find(started.begin(), started.end(), step.call) != started.end();
        if (starts_call && known)
            invalid("scenario.steps", "call '" + step.call + "' is started twice");
        if (!starts_call && !known)
            invalid("scenario.steps", "call '" + step.call + "' is used (" + std::string(to_string(step.action)) +
                                       " at " + std::to_string(step.at_ms) +
                                       " ms) before an incoming or dial step starts it");
        if (starts_call) started.push_back(step.call);
    }
    return scenario;
}

// `incoming`'s fields: the caller's number (and name), the number called, internal or not.
Injection incoming_of(const nlohmann::json& body) {
    Injection injection;
    injection.action = Injection::Action::incoming;
    if (body.contains("call_id")) throw Invalid{"'incoming' starts a new call; it takes no 'call_id'"};
    auto from = body.find("from");
    if (from == body.end() || !from->is_string()) throw Invalid{"'from' is required (a number)"};
    auto number = normalize_dial_string(from->get<std::string>());
    if (!number) throw Invalid{"'from' is not a dial string (digits, *, #, leading +)"};
    injection.from.number = *number;
    if (auto name = body.find("name"); name != body.end()) {
        if (!name->is_string() || name->get<std::string>().size() > 128)
            throw Invalid{"'name' must be a string of at most 128 characters"};
        injection.from.name = name->get<std::string>();
    }
    if (auto to = body.find("to"); to != body.end()) {
        auto called = to->is_string() ? normalize_dial_string(to->get<std::string>()) : std::nullopt;
        if (!called) throw Invalid{"'to' is not a dial string (digits, *, #, leading +)"};
        injection.to = *called;
    }
    if (auto internal = body.find("internal"); internal != body.end()) {
        if (!internal->is_boolean()) throw Invalid{"'internal' must be true or false"};
        injection.internal = internal->get<bool>();
    }
    return injection;
}

// The actions that act on one existing call, named by `call_id`.
constexpr std::pair<std::string_view, Injection::Action> call_actions[] = {
    {"remote_answer", Injection::Action::remote_answer},
    {"remote_hangup", Injection::Action::remote_hangup},
    {"busy", Injection::Action::busy},
    {"answered_elsewhere", Injection::Action::answered_elsewhere},
};

Injection injection_of(const nlohmann::json& body) {
    auto action = body.find("action");
    const auto name = action != body.end() && action->is_string() ? action->get<std::string>() : "";
    if (name == "incoming") return incoming_of(body);
    if (name == "scenario") {
        if (!body.contains("scenario")) throw Invalid{"'scenario' is missing"};
        Injection injection;
        injection.action = Injection::Action::scenario;
        injection.scenario = scenario_of(body["scenario"]);
        return injection;
    }
    for (const auto& [known, kind] : call_actions)
        if (name == known) {
            Injection injection;
            injection.action = kind;
            return injection;
        }
    throw Invalid{"'action' must be one of incoming, remote_answer, remote_hangup, busy, "
                  "answered_elsewhere, scenario"};
}

}  // namespace

Result<Injection> decode_injection(const nlohmann::json& body) {
    try {
        return injection_of(body);
    } catch (const Invalid& error) {
        return fail(ErrorKind::invalid_input, error.message);
    }
}

Result<SimulatedScenario> decode_scenario(const nlohmann::json& json) {
    try {
        return scenario_of(json);
    } catch (const Invalid& error) {
        return fail(ErrorKind::invalid_input, error.message);
    }
}

}  // namespace cti::protocol
