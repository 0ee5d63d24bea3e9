#include "logging/logging.hpp"

#include <filesystem>
#include <memory>
#include <vector>

#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>

#include "platform/private_files.hpp"

namespace cti {
namespace {

// The log names numbers (masked) and origins; an earlier version left it and its rotated
// files (cti-adapter.1.log, ...: spdlog's names) readable by every user of the machine.
void make_log_files_private(const LogOptions& options) {
    const std::filesystem::path file(options.file);
    std::vector<std::filesystem::path> files{file};
    for (std::size_t index = 1; index <= options.max_files; ++index)
        files.push_back(file.parent_path() /
                        (file.stem().string() + "." + std::to_string(index) + file.extension().string()));
    platform::make_private(files, file.parent_path());
}

}  // namespace

void setup_logging(const LogOptions& options) {
    std::vector<spdlog::sink_ptr> sinks;
    if (options.console) sinks.push_back(std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
    if (!options.file.empty())
        sinks.push_back(std::make_shared<spdlog::sinks::rotating_file_sink_mt>(
            options.file, options.max_file_bytes, options.max_files));
    auto logger = std::make_shared<spdlog::logger>("cti-adapter", sinks.begin(), sinks.end());
    logger->set_level(spdlog::level::from_str(options.level));
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z [%^%l%$] %v");
    logger->flush_on(spdlog::level::info);
    spdlog::set_default_logger(std::move(logger));
    // After the logger is in place, so that what was tightened is said in the log itself.
    if (!options.file.empty()) make_log_files_private(options);
}

std::string masked(std::string_view number) {
    if (spdlog::default_logger_raw()->should_log(spdlog::level::debug)) return printable(number);
    std::string result;
    std::size_t digits = 0;
    for (char c : number)
        if (c >= '0' && c <= '9') ++digits;
    std::size_t seen = 0;
    for (char c : number) {
        const bool digit = c >= '0' && c <= '9';
        if (digit) ++seen;
        // Names pass (a SIP user "agent", "front.desk"): only numbers identify a caller.
        const bool name = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' || c == '_';
        result.push_back(digit && seen + 4 <= digits ? '*' : (digit || name || c == '+' || c == '*' || c == '#') ? c : '?');
    }
    return result;
}

std::string printable(std::string_view text, std::size_t max_length) {
    std::string result;
    for (char c : text.substr(0, max_length))
        result.push_back(static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? '?' : c);
    if (text.size() > max_length) result += "...";
    return result;
}

}  // namespace cti
