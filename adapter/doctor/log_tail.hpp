// The end of the adapter's log file, for `doctor` and the support bundle.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace cti {

// The last `max_lines` lines of `file` (fewer when it is shorter; none when it is missing).
std::vector<std::string> last_log_lines(const std::filesystem::path& file, std::size_t max_lines);

// A log line with every phone-number-like run of digits masked as logging's masked() does
// (only the last 4 digits shown). A log written at debug level holds full numbers; a support
// bundle must not.
std::string mask_numbers(const std::string& line);

}  // namespace cti
