#include "dial_plan/dial_plan.hpp"

#include <algorithm>

#include "cti/dial_string.hpp"

namespace cti {
namespace {

bool starts_with_any(const std::string& number, const std::vector<std::string>& prefixes,
                     std::string* matched) {
    for (const auto& prefix : prefixes)
        if (number.rfind(prefix, 0) == 0) {
            *matched = prefix;
            return true;
        }
    return false;
}

std::string digits_check(const std::string& text) {
    if (std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) return {};
    return "expected digits only, got \"" + text + "\"";
}

std::string prefix_check(const std::string& text) {
    auto clean = normalize_dial_string(text);
    if (clean && *clean == text) return {};
    return "expected a number prefix such as \"+1900\" or \"0900\" (digits, *, #, leading +), got \"" + text + "\"";
}

}  // namespace

DialPlanSettings DialPlanSettings::read(SettingsReader reader) {
    DialPlanSettings settings;
    settings.country_code = reader.string("country_code", "", digits_check);
    settings.outside_line_prefix = reader.string("outside_line_prefix", "", digits_check);
    settings.long_distance_prefix = reader.string("long_distance_prefix", "", digits_check);
    settings.international_prefix = reader.string("international_prefix", "", digits_check);
    settings.max_internal_digits =
        static_cast<std::size_t>(reader.integer("max_internal_digits", 5, 0, 15));
    settings.allow = reader.string_list("allow", {}, prefix_check);
    settings.deny = reader.string_list("deny", {}, prefix_check);
    reader.reject_unknown();
    return settings;
}

DialPlan::DialPlan(DialPlanSettings settings) : settings_(std::move(settings)) {}

std::string DialPlan::international_form(const std::string& number) const {
    if (number.front() == '+' || settings_.country_code.empty()) return number;
    // A national number written with the long-distance prefix: 0 20 7123 4567 -> +44 20 7123 4567.
    const auto& trunk = settings_.long_distance_prefix;
    if (!trunk.empty() && number.rfind(trunk, 0) == 0)
        return "+" + settings_.country_code + number.substr(trunk.size());
    return number;
}

std::variant<std::string, DialRefused> DialPlan::apply(const std::string& number) const {
    const auto international = international_form(number);
    std::string rule;
    if (starts_with_any(number, settings_.deny, &rule) || starts_with_any(international, settings_.deny, &rule))
        return DialRefused{"numbers starting with " + rule + " may not be dialled (dial_plan.deny)"};
    if (!settings_.allow.empty() && !starts_with_any(number, settings_.allow, &rule) &&
        !starts_with_any(international, settings_.allow, &rule))
        return DialRefused{"the number is not in dial_plan.allow"};

    const bool internal = number.front() != '+' && number.size() <= settings_.max_internal_digits;
    if (internal || settings_.country_code.empty()) return number;
    if (number.front() != '+') return settings_.outside_line_prefix + number;
    const auto national_start = 1 + settings_.country_code.size();
    if (number.rfind("+" + settings_.country_code, 0) == 0)
        return settings_.outside_line_prefix + settings_.long_distance_prefix + number.substr(national_start);
    return settings_.outside_line_prefix + settings_.international_prefix + number.substr(1);
}

}  // namespace cti
