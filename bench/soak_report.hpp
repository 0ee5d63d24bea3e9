// The soak's report: Markdown, printed and written into docs/SOAK.md.
#pragma once

#include <string>

#include "bench_results.hpp"
#include "soak.hpp"

namespace cti::bench {

// `run` gives the header (command, start, commit, machine, load).
std::string render_soak_report(const BenchResults& run, const SoakResult& result);

}  // namespace cti::bench
