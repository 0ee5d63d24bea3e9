// Logging setup and the rules for what may appear in a log.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <spdlog/spdlog.h>

#include "cti/result.hpp"

namespace cti {

struct LogOptions {
    std::string level = "info";  // trace, debug, info, warn, error, off
    std::string file;            // empty: console only
    std::size_t max_file_bytes = 5 * 1024 * 1024;
    std::size_t max_files = 3;
    bool console = true;         // to stderr; stdout stays for the command's own output
};

// Installs the default logger: stderr plus a size-capped rotating file, its folder made when
// missing. `failed` ("cannot write the log file FILE: why") when the folder or the file cannot
// be made; the logger is left as it was then.
Result<> setup_logging(const LogOptions& options);

// Phone numbers in info-and-above messages show only their last 4 digits ("*******0123");
// letters pass, so a party named by a SIP user ("agent") stays readable; any other character
// becomes '?'. At debug and trace level (a support session) the full number is logged.
std::string masked(std::string_view number);

// Text from outside (a name, an origin) with every character that could forge a log line
// replaced by '?': C0 and C1 controls (a raw 0x9B too), U+2028/U+2029 and the bidi controls
// (U+202A-U+202E, U+2066-U+2069, U+200E/U+200F, U+061C), and bytes that are not UTF-8. At most
// `max_length` bytes of it are kept (never half a character), then "...".
std::string printable(std::string_view text, std::size_t max_length = 80);

// Free text that may quote a number (a driver's error message, "'+14155559876;ext' is not a
// dial string"): printable, and at info level and above every run of more than 4 digits keeps
// only its last 4, as masked() does for a number alone.
std::string masked_text(std::string_view text, std::size_t max_length = 200);

}  // namespace cti
