#include "logging/logging.hpp"

#include "cti/end_detail.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>

#include "platform/private_files.hpp"

namespace cti {
namespace {

struct Utf8Sequence {
    std::size_t length = 1;                  // bytes it takes; 1 for a byte that starts nothing
    std::optional<char32_t> code_point;  // none: not UTF-8 (a stray byte, overlong, a surrogate)
};

Utf8Sequence next_utf8_sequence(std::string_view bytes) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(bytes[i]); };
    const auto lead = byte(0);
    if (lead < 0x80) return {1, lead};
    std::size_t length = 0;
    char32_t code_point = 0, smallest = 0;
    if ((lead & 0xe0) == 0xc0) length = 2, code_point = lead & 0x1f, smallest = 0x80;
    else if ((lead & 0xf0) == 0xe0) length = 3, code_point = lead & 0x0f, smallest = 0x800;
    else if ((lead & 0xf8) == 0xf0) length = 4, code_point = lead & 0x07, smallest = 0x10000;
    else return {};  // a continuation byte on its own (a raw 0x9B, the 8-bit CSI) or 0xF8 and up
    if (bytes.size() < length) return {};
    for (std::size_t i = 1; i < length; ++i) {
        if ((byte(i) & 0xc0) != 0x80) return {};
        code_point = code_point << 6 | (byte(i) & 0x3f);
    }
    if (code_point < smallest || code_point > 0x10ffff || (code_point >= 0xd800 && code_point <= 0xdfff))
        return {};
    return {length, code_point};
}

// Characters that end a line or reorder one, in a terminal or a Unicode-aware log viewer: text
// from outside holding them could make a line read as another, or as two.
bool forges_a_line(char32_t c) {
    return c < 0x20 || c == 0x7f ||
           (c >= 0x80 && c <= 0x9f) ||        // C1 controls (NEL, CSI)
           c == 0x2028 || c == 0x2029 ||      // line and paragraph separators
           (c >= 0x202a && c <= 0x202e) ||    // bidi embeddings and overrides
           (c >= 0x2066 && c <= 0x2069) ||    // bidi isolates
           c == 0x200e || c == 0x200f || c == 0x061c;  // bidi marks
}

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

Result<> setup_logging(const LogOptions& options) {
    std::vector<spdlog::sink_ptr> sinks;
    if (options.console) sinks.push_back(std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
    if (!options.file.empty()) {
        const auto cannot_write = [&](const std::string& why) {
            return fail(ErrorKind::failed, "cannot write the log file " + options.file + ": " + why);
        };
        const auto folder = std::filesystem::path(options.file).parent_path();
        std::error_code ec;
        if (!folder.empty()) std::filesystem::create_directories(folder, ec);
        if (ec) return cannot_write("cannot create the folder " + folder.string() + ": " + ec.message());
        try {  // spdlog reports a file it cannot open by throwing
            sinks.push_back(std::make_shared<spdlog::sinks::rotating_file_sink_mt>(
                options.file, options.max_file_bytes, options.max_files));
        } catch (const spdlog::spdlog_ex& error) {
            return cannot_write(error.what());
        }
    }
    auto logger = std::make_shared<spdlog::logger>("cti-adapter", sinks.begin(), sinks.end());
    logger->set_level(spdlog::level::from_str(options.level));
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z [%^%l%$] %v");
    logger->flush_on(spdlog::level::info);
    spdlog::set_default_logger(std::move(logger));
    // After the logger is in place, so that what was tightened is said in the log itself.
    if (!options.file.empty()) make_log_files_private(options);
    return {};
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
    std::size_t at = 0;
    while (at < text.size()) {
        const auto sequence = next_utf8_sequence(text.substr(at));
        // A character that would cross the limit is left out whole, not cut into bytes.
        if (at + sequence.length > max_length) break;
        if (sequence.code_point && !forges_a_line(*sequence.code_point))
            result.append(text.substr(at, sequence.length));
        else
            result.push_back('?');
        at += sequence.length;
    }
    if (at < text.size()) result += "...";
    return result;
}

std::string masked_text(std::string_view text, std::size_t max_length) {
    auto result = printable(text, max_length);
    if (!spdlog::default_logger_raw()->should_log(spdlog::level::debug)) mask_digit_runs(result);
    return result;
}

}  // namespace cti
