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

// A number keeps only its last 4 digits ("+*******9876", "+* (***) ***-9876"); a status code, an
// extension, a version or an address stays readable ("486", "2001", "2.0", "10.0.0.5:5060"). A
// number is a run of digits, or digits that at most two of " ().-" join ("(415) 555-9876"): a
// run of more than 4 digits, or a joined one of 7 or more that is not a dotted IPv4 address.
// The adapter's log applies the same rule to text that may quote a number (logging.hpp,
// masked_text).
inline void mask_digit_runs(std::string& text) {
    const auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
    const auto is_separator = [](char c) { return c == ' ' || c == '(' || c == ')' || c == '.' || c == '-'; };
    for (std::size_t start = 0; start < text.size();) {
        if (!is_digit(text[start])) { ++start; continue; }
        std::size_t end = start, digits = 0, group = 0, longest_group = 0, groups = 1;
        bool single_dots = true;  // every join one '.', as in an IPv4 address
        for (std::size_t at = start; at < text.size();) {
            if (is_digit(text[at])) {
                ++digits;
                longest_group = std::max(longest_group, ++group);
                end = ++at;
                continue;
            }
            auto next = at;
            while (next < text.size() && next - at < 2 && is_separator(text[next])) ++next;
            if (next == at || next == text.size() || !is_digit(text[next])) break;
            single_dots = single_dots && next - at == 1 && text[at] == '.';
            group = 0;
            ++groups;
            at = next;
        }
        const bool ipv4_address = single_dots && groups == 4 && longest_group <= 3;
        if (longest_group > 4 || (digits >= 7 && !ipv4_address)) {
            std::size_t to_mask = digits - 4;
            for (auto at = start; to_mask > 0; ++at)
                if (is_digit(text[at])) text[at] = '*', --to_mask;
        }
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
