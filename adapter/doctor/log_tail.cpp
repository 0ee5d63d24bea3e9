#include "doctor/log_tail.hpp"

#include <deque>
#include <fstream>
#include <regex>

#include "logging/logging.hpp"

namespace cti {
namespace {

// Timestamps (2026-11-21T06:14:46.443) and ports have at most 5 digits in a row; the numbers
// the adapter logs are dial strings, stored without separators, with more.
const std::regex phone_number_pattern(R"(\+?\d{6,})");

}  // namespace

std::vector<std::string> last_log_lines(const std::filesystem::path& file, std::size_t max_lines) {
    std::ifstream in(file, std::ios::binary);
    std::deque<std::string> lines;
    std::string line;
    while (std::getline(in, line)) {
        lines.push_back(std::move(line));
        if (lines.size() > max_lines) lines.pop_front();
    }
    return {lines.begin(), lines.end()};
}

std::string mask_numbers(const std::string& line) {
    std::string result;
    auto rest = line.cbegin();
    for (std::sregex_iterator match(line.begin(), line.end(), phone_number_pattern), end; match != end; ++match) {
        result.append(rest, line.cbegin() + match->position());
        result += masked(match->str());
        rest = line.cbegin() + match->position() + match->length();
    }
    result.append(rest, line.cend());
    return result;
}

}  // namespace cti
