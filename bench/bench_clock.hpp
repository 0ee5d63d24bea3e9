// One clock for every timestamp of the benchmark: sender and receivers live in one process.
#pragma once

#include <chrono>
#include <cstdint>

namespace cti::bench {

inline std::int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

}  // namespace cti::bench
