// Script files for the emulated provider: timed far-end actions, for training and demos.
//
// One JSON object per line: a control command (control_command.hpp) plus "at_ms", the time
// after the provider starts at which it runs. Blank lines and lines starting with '#' are
// skipped. Example:
//     # Alice calls, and gives up after 8 seconds
//     {"at_ms": 1000, "control": "offer", "call": "alice", "from": "5551234", "name": "Alice"}
//     {"at_ms": 9000, "control": "hangup", "call": "alice"}
#pragma once

#include <cstdint>
#include <istream>
#include <stdexcept>
#include <string>
#include <vector>

#include "tapi/control_command.hpp"

namespace cti::tapi {

struct ScriptStep {
    std::int64_t at_ms = 0;
    ControlCommand command;
    std::size_t line = 0;  // 1-based line in the file
};

// Thrown for the first bad line: "line 3: 'from': expected a dial string ...".
class ScriptError : public std::runtime_error {
public:
    ScriptError(std::size_t line, const std::string& problem)
        : std::runtime_error("line " + std::to_string(line) + ": " + problem), line_(line) {}
    std::size_t line() const { return line_; }

private:
    std::size_t line_;
};

std::vector<ScriptStep> parse_script(std::istream& input);

}  // namespace cti::tapi
