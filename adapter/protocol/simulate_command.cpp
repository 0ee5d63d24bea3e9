#include "protocol/simulate_command.hpp"

#include <algorithm>
#include <array>
#include <optional>

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

constexpr std::int64_t max_scenario_ms = 24LL * 3600 * 1000;
constexpr std::size_t max_steps = 10'000;

// "scenario.steps[2].action: unknown action 'explode'": the field's path, then the problem.
tl::unexpected<Error> invalid(const std::string& where, const std::string& problem) {
    return fail(ErrorKind::invalid_input, where + ": " + problem);
}

// A string field; "" when it is absent and not required.
Result<std::string> text_field(const nlohmann::json& step, const std::string& where, const char* key,
                               bool required) {
    auto it = step.find(key);
    if (it == step.end()) {
        if (required) return invalid(where + "." + key, "missing (a string is required)");
        return std::string();
    }
    if (!it->is_string()) return invalid(where + "." + key, "expected a string");
    return it->get<std::string>();
}

Result<std::string> number_field(const nlohmann::json& step, const std::string& where, const char* key,
                                 bool required) {
    auto text = text_field(step, where, key, required);
    if (!text) return text;
    if (text->empty() && !required) return text;
    auto number = normalize_dial_string(*text);
    if (!number) return invalid(where + "." + key, "'" + *text + "' is not a dial string (digits, *, #, leading +)");
    return *number;
}

Result<std::int64_t> step_time(const nlohmann::json& json, const std::string& where) {
    auto at = json.find("at_ms");
    if (at == json.end()) return 0;
    if (!at->is_number_integer() || at->get<std::int64_t>() < 0 || at->get<std::int64_t>() > max_scenario_ms)
        return invalid(where + ".at_ms", "expected an integer from 0 to 86400000");
    return at->get<std::int64_t>();
}

Result<ScenarioStep> parse_step(const nlohmann::json& json, const std::string& where) {
    if (!json.is_object()) return invalid(where, "expected an object");
    for (const auto& [key, value] : json.items()) {
        static constexpr std::array known{"at_ms", "action", "call", "from", "name", "to", "internal"};
        if (std::find(known.begin(), known.end(), key) == known.end())
            return invalid(where + "." + key, "unknown field");
    }
    ScenarioStep step;
    auto at = step_time(json, where);
    if (!at) return fail(std::move(at.error()));
    step.at_ms = *at;
    const auto action_name = text_field(json, where, "action", true);
    if (!action_name) return fail(action_name.error());
    const auto action = scenario_action(*action_name);
    if (!action) return invalid(where + ".action", "unknown action '" + *action_name + "'");
    step.action = *action;
    auto call = text_field(json, where, "call", true);
    if (!call) return fail(std::move(call.error()));
    if (call->empty() || call->size() > 64) return invalid(where + ".call", "expected 1 to 64 characters");
    step.call = std::move(*call);
    auto from = number_field(json, where, "from", step.action == PhoneAction::incoming);
    if (!from) return fail(std::move(from.error()));
    step.from = std::move(*from);
    auto name = text_field(json, where, "name", false);
    if (!name) return fail(std::move(name.error()));
    if (name->size() > 128) return invalid(where + ".name", "longer than 128 characters");
    step.name = std::move(*name);
    auto to = number_field(json, where, "to",
                           step.action == PhoneAction::dial || step.action == PhoneAction::transfer);
    if (!to) return fail(std::move(to.error()));
    step.to = std::move(*to);
    if (auto internal = json.find("internal"); internal != json.end()) {
        if (!internal->is_boolean()) return invalid(where + ".internal", "expected true or false");
        step.internal = internal->get<bool>();
    }
    return step;
}

// In time order, every call must be started (incoming/dial) once, before it is used.
Result<> check_call_order(const std::vector<ScenarioStep>& steps) {
    std::vector<std::string> started;
    for (const auto& step : steps) {
        const bool starts_call = step.action == PhoneAction::incoming || step.action == PhoneAction::dial;
        const bool known = std::find(started.begin(), started.end(), step.call) != started.end();
        if (starts_call && known) return invalid("scenario.steps", "call '" + step.call + "' is started twice");
        if (!starts_call && !known)
            return invalid("scenario.steps", "call '" + step.call + "' is used (" +
                                                 std::string(to_string(step.action)) + " at " +
                                                 std::to_string(step.at_ms) +
                                                 " ms) before an incoming or dial step starts it");
        if (starts_call) started.push_back(step.call);
    }
    return {};
}

// A command field's problem, worded for the page: "'from' is required (a number)".
tl::unexpected<Error> invalid_field(std::string problem) {
    return fail(ErrorKind::invalid_input, std::move(problem));
}

// `incoming`'s fields: the caller's number (and name), the number called, internal or not.
Result<Injection> incoming_of(const nlohmann::json& body) {
    Injection injection;
    injection.action = Injection::Action::incoming;
    if (body.contains("call_id")) return invalid_field("'incoming' starts a new call; it takes no 'call_id'");
    auto from = body.find("from");
    if (from == body.end() || !from->is_string()) return invalid_field("'from' is required (a number)");
    auto number = normalize_dial_string(from->get<std::string>());
    if (!number) return invalid_field("'from' is not a dial string (digits, *, #, leading +)");
    injection.from.number = *number;
    if (auto name = body.find("name"); name != body.end()) {
        if (!name->is_string() || name->get<std::string>().size() > 128)
            return invalid_field("'name' must be a string of at most 128 characters");
        injection.from.name = name->get<std::string>();
    }
    if (auto to = body.find("to"); to != body.end()) {
        auto called = to->is_string() ? normalize_dial_string(to->get<std::string>()) : std::nullopt;
        if (!called) return invalid_field("'to' is not a dial string (digits, *, #, leading +)");
        injection.to = *called;
    }
    if (auto internal = body.find("internal"); internal != body.end()) {
        if (!internal->is_boolean()) return invalid_field("'internal' must be true or false");
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

}  // namespace

Result<SimulatedScenario> decode_scenario(const nlohmann::json& json) {
    if (!json.is_object()) return invalid("scenario", "expected an object with \"steps\"");
    SimulatedScenario scenario;
    if (auto name = json.find("name"); name != json.end()) {
        if (!name->is_string()) return invalid("scenario.name", "expected a string");
        scenario.name = name->get<std::string>();
    }
    for (const auto& [key, value] : json.items())
        if (key != "name" && key != "steps" && key != "description")
            return invalid("scenario." + key, "unknown field");
    auto steps = json.find("steps");
    if (steps == json.end() || !steps->is_array() || steps->empty())
        return invalid("scenario.steps", "expected a non-empty list of steps");
    if (steps->size() > max_steps) return invalid("scenario.steps", "more than 10000 steps");
    for (std::size_t i = 0; i < steps->size(); ++i) {
        auto step = parse_step((*steps)[i], "scenario.steps[" + std::to_string(i) + "]");
        if (!step) return fail(std::move(step.error()));
        scenario.steps.push_back(std::move(*step));
    }
    std::stable_sort(scenario.steps.begin(), scenario.steps.end(),
                     [](const auto& a, const auto& b) { return a.at_ms < b.at_ms; });
    if (auto ordered = check_call_order(scenario.steps); !ordered) return fail(std::move(ordered.error()));
    return scenario;
}

Result<Injection> decode_injection(const nlohmann::json& body) {
    auto action = body.find("action");
    const auto name = action != body.end() && action->is_string() ? action->get<std::string>() : "";
    if (name == "incoming") return incoming_of(body);
    if (name == "scenario") {
        if (!body.contains("scenario")) return invalid_field("'scenario' is missing");
        auto scenario = decode_scenario(body["scenario"]);
        if (!scenario) return fail(std::move(scenario.error()));
        Injection injection;
        injection.action = Injection::Action::scenario;
        injection.scenario = std::move(*scenario);
        return injection;
    }
    for (const auto& [known, kind] : call_actions)
        if (name == known) {
            Injection injection;
            injection.action = kind;
            return injection;
        }
    return invalid_field("'action' must be one of incoming, remote_answer, remote_hangup, busy, "
                         "answered_elsewhere, scenario");
}

}  // namespace cti::protocol
