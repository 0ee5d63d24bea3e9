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
#include <string>
#include <vector>

#include "cti/result.hpp"
#include "tapi/control_command.hpp"

namespace cti::tapi {

struct ScriptStep {
    std::int64_t at_ms = 0;
    ControlCommand command;
    std::size_t line = 0;  // 1-based line in the file
};

// The steps, or the first bad line as an invalid_input Error: "line 3: 'from': expected a dial
// string ...". The caller names the file.
Result<std::vector<ScriptStep>> parse_script(std::istream& input);

}  // namespace cti::tapi
