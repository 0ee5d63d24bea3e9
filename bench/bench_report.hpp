// The benchmark's report: Markdown tables, printed and written into docs/PERFORMANCE.md.
#pragma once

#include <filesystem>
#include <string>

#include "bench_results.hpp"

namespace cti::bench {

std::string render_report(const BenchResults& results);
// The command, start, commit, machine and load lines that head every report (the soak's too).
std::string render_run_header(const BenchResults& results);

// The comments that enclose a generated part of a document, naming the script that writes it.
struct ReportMarkers {
    std::string tag = "bench";
    std::string script = "bench/run.sh";
};
// Replaces the generated part of `file` (between the markers) with `report`, keeping the
// hand-written rest; a file without markers gets them appended.
void write_report(const std::filesystem::path& file, const std::string& report, const ReportMarkers& markers = {});
// True when no event was lost or reordered and every call popped at every page.
bool every_event_delivered(const BenchResults& results);

}  // namespace cti::bench
