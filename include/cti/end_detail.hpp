// The one rule for what a phone system's own words may become in CallReport::detail.
//
// A status line or an error text from a PBX or a softphone goes to the agent's page, the call
// log and the adapter's log: it is kept printable and short, and a phone number it quotes (an
// error naming the dialled URI) keeps only its last 4 digits, as everywhere the adapter logs.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>

namespace cti {

inline constexpr std::size_t max_end_detail_length = 120;

// Every run of more than 4 digits keeps only its last 4 ("+*******9876"); a status code or an
// extension (4 digits or fewer) stays readable. The adapter's log applies the same rule to text
// that may quote a number (logging.hpp, masked_text).
inline void mask_digit_runs(std::string& text) {
    const auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
    for (std::size_t start = 0; start < text.size();) {
        if (!is_digit(text[start])) { ++start; continue; }
        auto end = start;
        while (end < text.size() && is_digit(text[end])) ++end;
        if (end - start > 4)
            std::fill(text.begin() + static_cast<std::ptrdiff_t>(start),
                      text.begin() + static_cast<std::ptrdiff_t>(end - 4), '*');
        start = end;
    }
}

inline std::string end_detail(std::string_view words) {
    std::string text;
    for (char c : words) {
        if (text.size() == max_end_detail_length) break;
        const auto byte = static_cast<unsigned char>(c);
        text.push_back(byte < 0x20 || byte == 0x7f ? ' ' : c);
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    mask_digit_runs(text);
    return text;
}

}  // namespace cti
