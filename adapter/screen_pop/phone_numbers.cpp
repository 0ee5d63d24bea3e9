#include "screen_pop/phone_numbers.hpp"

#include <algorithm>

#include "cti/dial_string.hpp"

namespace cti {
namespace {

bool all_digits(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool starts_with(std::string_view text, std::string_view prefix) {
    return !prefix.empty() && text.substr(0, prefix.size()) == prefix;
}

// "+44 (0)20 7123 4567" is written for people: the "(0)" is the trunk prefix a caller inside the
// country would dial, never part of the international number.
std::string without_optional_trunk_zero(std::string_view text) {
    std::string result(text);
    if (auto at = result.find("(0)"); at != std::string::npos && result.front() == '+') result.erase(at, 3);
    return result;
}

}  // namespace

PhoneNumbers::PhoneNumbers(NumberSettings settings) : settings_(std::move(settings)) {}

std::optional<std::string> PhoneNumbers::normalize(std::string_view text) const {
    auto clean = normalize_dial_string(without_optional_trunk_zero(text));
    if (!clean) return std::nullopt;
    if (clean->front() == '+') return all_digits(std::string_view(*clean).substr(1)) ? clean : std::nullopt;
    if (!all_digits(*clean)) return std::nullopt;  // '*' and '#' are service codes, not callers
    if (clean->size() <= settings_.internal_max_digits) return clean;
    return international(*clean);
}

std::string PhoneNumbers::international(const std::string& digits) const {
    if (starts_with(digits, settings_.international_prefix))
        return "+" + digits.substr(settings_.international_prefix.size());
    if (settings_.country_code.empty()) return digits;
    if (starts_with(digits, settings_.trunk_prefix))
        return "+" + settings_.country_code + digits.substr(settings_.trunk_prefix.size());
    return "+" + settings_.country_code + digits;
}

bool PhoneNumbers::is_internal(std::string_view text) const {
    auto clean = normalize_dial_string(text);
    return clean && clean->front() != '+' && all_digits(*clean) &&
           clean->size() <= settings_.internal_max_digits;
}

}  // namespace cti
