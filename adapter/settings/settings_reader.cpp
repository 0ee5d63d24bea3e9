#include "settings/settings_json.hpp"

namespace cti {
namespace {

using nlohmann::json;

bool in_range(const json& value, std::int64_t min, std::int64_t max) {
    if (value.is_number_unsigned()) {
        const auto number = value.get<std::uint64_t>();
        return max >= 0 && number <= static_cast<std::uint64_t>(max) &&
               (min <= 0 || number >= static_cast<std::uint64_t>(min));
    }
    auto number = value.get<std::int64_t>();
    return number >= min && number <= max;
}

std::string checked_string(const std::string& where, const json& value, const SettingsReader::Check& check) {
    if (!value.is_string()) throw SettingsError(where, "expected a string, got " + describe_setting(value));
    auto text = value.get<std::string>();
    if (check) {
        if (auto problem = check(text); !problem.empty()) throw SettingsError(where, problem);
    }
    return text;
}

// Every read marks its key as known, found or not, so reject_unknown() names only typos.
const json* find(const SettingsValue& object, std::set<std::string>& seen, const std::string& key) {
    seen.insert(key);
    const auto found = object.json.find(key);
    return found == object.json.end() ? nullptr : &*found;
}

std::string range_text(std::int64_t min, std::int64_t max) {
    return "from " + std::to_string(min) + " to " + std::to_string(max);
}

}  // namespace

std::string describe_setting(const json& value) {
    std::string text = value.dump();
    if (text.size() > 40) text = text.substr(0, 37) + "...";
    return std::string(value.type_name()) + " " + text;
}

SettingsReader::SettingsReader(std::shared_ptr<const SettingsValue> object, std::string prefix)
    : object_(std::move(object)), prefix_(std::move(prefix)) {
    if (!object_->json.is_object())
        throw SettingsError(prefix_.empty() ? "(top level)" : prefix_,
                            "expected an object, got " + describe_setting(object_->json));
}

std::int64_t SettingsReader::integer(const std::string& key, std::int64_t fallback, std::int64_t min,
                                     std::int64_t max) {
    const json* found = find(*object_, seen_, key);
    if (!found) return fallback;
    const json& value = *found;
    if (!value.is_number_integer() || !in_range(value, min, max))
        throw SettingsError(path(key), "expected an integer " + range_text(min, max) + ", got " +
                                           describe_setting(value));
    return value.get<std::int64_t>();
}

bool SettingsReader::boolean(const std::string& key, bool fallback) {
    const json* found = find(*object_, seen_, key);
    if (!found) return fallback;
    const json& value = *found;
    if (!value.is_boolean()) throw SettingsError(path(key), "expected true or false, got " + describe_setting(value));
    return value.get<bool>();
}

std::string SettingsReader::string(const std::string& key, std::string fallback, const Check& check) {
    const json* found = find(*object_, seen_, key);
    if (!found) return fallback;
    const json& value = *found;
    return checked_string(path(key), value, check);
}

std::vector<std::string> SettingsReader::string_list(const std::string& key, std::vector<std::string> fallback,
                                                     const Check& check) {
    const json* found = find(*object_, seen_, key);
    if (!found) return fallback;
    const json& value = *found;
    if (!value.is_array())
        throw SettingsError(path(key), "expected a list of strings, got " + describe_setting(value));
    std::vector<std::string> result;
    for (std::size_t i = 0; i < value.size(); ++i)
        result.push_back(checked_string(path(key) + "[" + std::to_string(i) + "]", value[i], check));
    return result;
}

std::vector<std::int64_t> SettingsReader::integer_list(const std::string& key, std::vector<std::int64_t> fallback,
                                                       std::int64_t min, std::int64_t max) {
    const json* found = find(*object_, seen_, key);
    if (!found) return fallback;
    const json& value = *found;
    if (!value.is_array())
        throw SettingsError(path(key), "expected a list of integers, got " + describe_setting(value));
    std::vector<std::int64_t> result;
    for (std::size_t i = 0; i < value.size(); ++i) {
        const auto& item = value[i];
        if (!item.is_number_integer() || !in_range(item, min, max))
            throw SettingsError(path(key) + "[" + std::to_string(i) + "]",
                                "expected an integer " + range_text(min, max) + ", got " + describe_setting(item));
        result.push_back(item.get<std::int64_t>());
    }
    return result;
}

SettingsReader SettingsReader::section(const std::string& key) {
    static const json empty = json::object();
    const json* found = find(*object_, seen_, key);
    return settings_reader(found ? *found : empty, path(key));
}

void SettingsReader::reject_unknown() const {
    for (const auto& [key, value] : object_->json.items())
        if (!seen_.contains(key))
            throw SettingsError(path(key), "unknown key (check the spelling; see the "
                                           "configuration reference for the known keys)");
}

}  // namespace cti
