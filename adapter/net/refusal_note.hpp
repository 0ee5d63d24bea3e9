// The end of a throttled refusal line (LogThrottle): how many like it were left out since the last.
#pragma once

#include <cstddef>
#include <string>

namespace cti {

inline std::string more_refused_note(std::size_t left_out) {
    return left_out ? " (" + std::to_string(left_out) + " more refused since the last such line)" : std::string();
}

}  // namespace cti
