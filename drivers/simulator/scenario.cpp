#include "simulator/scenario.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>

#include "cti/dial_string.hpp"

namespace cti::simulator {
namespace {

constexpr std::array phone_actions{
    "incoming", "dial",   "answer", "remote_answer", "remote_hangup",     "hangup",
    "busy",     "hold",   "resume", "transfer",      "answered_elsewhere"};

constexpr std::int64_t max_scenario_ms = 24LL * 3600 * 1000;
constexpr std::size_t max_steps = 10'000;

[[noreturn]] void fail(const std::string& where, const std::string& problem) {
    throw std::invalid_argument(where + ": " + problem);
}

std::string text_field(const nlohmann::json& step, const std::string& where, const char* key,
                       bool required) {
    auto it = step.find(key);
    if (it == step.end()) {
        if (required) fail(where + "." + key, "missing (a string is required)");
        return {};
    }
    if (!it->is_string()) fail(where + "." + key, "expected a string");
    return it->get<std::string>();
}

std::string number_field(const nlohmann::json& step, const std::string& where, const char* key,
                         bool required) {
    auto text = text_field(step, where, key, required);
    if (text.empty() && !required) return text;
    auto number = normalize_dial_string(text);
    if (!number) fail(where + "." + key, "'" + text + "' is not a dial string (digits, *, #, leading +)");
    return *number;
}

ScenarioStep parse_step(const nlohmann::json& json, const std::string& where) {
    if (!json.is_object()) fail(where, "expected an object");
    for (const auto& [key, value] : json.items()) {
        static constexpr std::array known{"at_ms", "action", "call", "from", "name", "to", "internal"};
        if (std::find(known.begin(), known.end(), key) == known.end())
            fail(where + "." + key, "unknown field");
    }
    ScenarioStep step;
    auto at = json.find("at_ms");
    if (at != json.end()) {
        if (!at->is_number_integer() || at->get<std::int64_t>() < 0 ||
            at->get<std::int64_t>() > max_scenario_ms)
            fail(where + ".at_ms", "expected an integer from 0 to 86400000");
        step.at_ms = at->get<std::int64_t>();
    }
    step.action = text_field(json, where, "action", true);
    if (!is_phone_action(step.action)) fail(where + ".action", "unknown action '" + step.action + "'");
    step.call = text_field(json, where, "call", true);
    if (step.call.empty() || step.call.size() > 64) fail(where + ".call", "expected 1 to 64 characters");
    step.from = number_field(json, where, "from", step.action == "incoming");
    step.name = text_field(json, where, "name", false);
    if (step.name.size() > 128) fail(where + ".name", "longer than 128 characters");
    step.to = number_field(json, where, "to", step.action == "dial" || step.action == "transfer");
    if (auto internal = json.find("internal"); internal != json.end()) {
        if (!internal->is_boolean()) fail(where + ".internal", "expected true or false");
        step.internal = internal->get<bool>();
    }
    return step;
}

}  // namespace

bool is_phone_action(const std::string& action) {
    return std::find(phone_actions.begin(), phone_actions.end(), action) != phone_actions.end();
}

Scenario parse_scenario(const nlohmann::json& json) {
    if (!json.is_object()) fail("scenario", "expected an object with \"steps\"");
    Scenario scenario;
    if (auto name = json.find("name"); name != json.end()) {
        if (!name->is_string()) fail("scenario.name", "expected a string");
        scenario.name = name->get<std::string>();
    }
    for (const auto& [key, value] : json.items())
        if (key != "name" && key != "steps" && key != "description")
            fail("scenario." + key, "unknown field");
    auto steps = json.find("steps");
    if (steps == json.end() || !steps->is_array() || steps->empty())
        fail("scenario.steps", "expected a non-empty list of steps");
    if (steps->size() > max_steps) fail("scenario.steps", "more than 10000 steps");
    for (std::size_t i = 0; i < steps->size(); ++i)
        scenario.steps.push_back(parse_step((*steps)[i], "scenario.steps[" + std::to_string(i) + "]"));
    std::stable_sort(scenario.steps.begin(), scenario.steps.end(),
                     [](const auto& a, const auto& b) { return a.at_ms < b.at_ms; });
    // In time order, every call must be started (incoming/dial) once, before it is used.
    std::vector<std::string> started;
    for (const auto& step : scenario.steps) {
        const bool starts_call = step.action == "incoming" || step.action == "dial";
        const bool known = std::find(started.begin(), started.end(), step.call) != started.end();
        if (starts_call && known)
            fail("scenario.steps", "call '" + step.call + "' is started twice");
        if (!starts_call && !known)
            fail("scenario.steps", "call '" + step.call + "' is used (" + step.action +
                                       " at " + std::to_string(step.at_ms) +
                                       " ms) before an incoming or dial step starts it");
        if (starts_call) started.push_back(step.call);
    }
    return scenario;
}

}  // namespace cti::simulator
