#include "tapi/provider_script.hpp"

#include <nlohmann/json.hpp>

namespace cti::tapi {

namespace {

bool is_blank_or_comment(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r");
    return first == std::string::npos || text[first] == '#';
}

tl::unexpected<Error> bad_line(std::size_t line, const std::string& problem) {
    return fail(ErrorKind::invalid_input, "line " + std::to_string(line) + ": " + problem);
}

}  // namespace

Result<std::vector<ScriptStep>> parse_script(std::istream& input) {
    std::vector<ScriptStep> steps;
    std::string text;
    for (std::size_t line = 1; std::getline(input, text); ++line) {
        if (is_blank_or_comment(text)) continue;
        auto object = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
        if (object.is_discarded() || !object.is_object())
            return bad_line(line, "expected one JSON object on the line");
        ScriptStep step;
        step.line = line;
        auto at = object.find("at_ms");
        if (at == object.end() || !at->is_number_integer() || at->get<std::int64_t>() < 0 ||
            at->get<std::int64_t>() > 86400000)
            return bad_line(line, "'at_ms': expected an integer from 0 to 86400000");
        step.at_ms = at->get<std::int64_t>();
        object.erase("at_ms");
        auto parsed = parse_control(object);
        if (!parsed.command) return bad_line(line, parsed.problem);
        step.command = *parsed.command;
        for (const auto& [key, value] : object.items())
            if (key != "control" && key != "call" && key != "from" && key != "name" &&
                key != "to" && key != "internal" && key != "hangup_after_answer_ms" &&
                key != "mode" && key != "state")
                return bad_line(line, "'" + key + "': unknown field");
        steps.push_back(std::move(step));
    }
    return steps;
}

}  // namespace cti::tapi
