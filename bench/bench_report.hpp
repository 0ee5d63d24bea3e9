// The benchmark's report: Markdown tables, printed and written into docs/PERFORMANCE.md.
#pragma once

#include <filesystem>
#include <string>

#include "bench_results.hpp"

namespace cti::bench {

std::string render_report(const BenchResults& results);
// Replaces the generated part of `file` (between the markers) with `report`, keeping the
// hand-written rest; a file without markers gets them appended.
void write_report(const std::filesystem::path& file, const std::string& report);
// True when no event was lost or reordered and every call popped at every page.
bool every_event_delivered(const BenchResults& results);

}  // namespace cti::bench
