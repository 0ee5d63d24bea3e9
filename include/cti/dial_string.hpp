// The one rule for what a dial string may contain, shared by the core and the drivers.
//
// A number reaches a phone system only after passing here: digits, '*', '#', and an optional
// leading '+'. Visual separators people paste from web pages (space, '-', '.', '(', ')') are
// dropped first. Everything else, CR/LF and SIP URI characters such as '@;<>' above all, is
// refused, so no driver ever has to worry about header or command injection through a number.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cti {

inline constexpr std::size_t max_dial_string_length = 32;

// The cleaned number, or nullopt when the input is not an acceptable dial string.
inline std::optional<std::string> normalize_dial_string(std::string_view input) {
    std::string number;
    for (std::size_t i = 0; i < input.size(); ++i) {
        const char c = input[i];
        if (c == ' ' || c == '-' || c == '.' || c == '(' || c == ')') continue;
        const bool digit = c >= '0' && c <= '9';
        const bool plus_first = c == '+' && number.empty();
        if (!digit && c != '*' && c != '#' && !plus_first) return std::nullopt;
        number.push_back(c);
    }
    if (number.empty() || number == "+" || number.size() > max_dial_string_length)
        return std::nullopt;
    return number;
}

// DTMF digits: 0-9, '*', '#', A-D; 1 to 32 of them.
inline bool is_valid_dtmf(std::string_view digits) {
    if (digits.empty() || digits.size() > max_dial_string_length) return false;
    for (char c : digits) {
        const bool ok = (c >= '0' && c <= '9') || c == '*' || c == '#' || (c >= 'A' && c <= 'D');
        if (!ok) return false;
    }
    return true;
}

}  // namespace cti
