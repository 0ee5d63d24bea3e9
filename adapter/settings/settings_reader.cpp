#include "settings/settings_json.hpp"

#include <optional>

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

// The text, or nullopt with the problem recorded by `reject`.
template <typename Reject>
std::optional<std::string> checked_string(const json& value, const SettingsReader::Check& check, Reject reject) {
    if (!value.is_string()) {
        reject("expected a string, got " + describe_setting(value));
        return std::nullopt;
    }
    auto text = value.get<std::string>();
    if (check) {
        if (auto problem = check(text); !problem.empty()) {
            reject(std::move(problem));
            return std::nullopt;
        }
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
    : SettingsReader(std::move(object), std::move(prefix), std::make_shared<std::optional<SettingsProblem>>()) {}

SettingsReader::SettingsReader(std::shared_ptr<const SettingsValue> object, std::string prefix,
                               SharedProblem problem)
    : object_(std::move(object)), prefix_(std::move(prefix)), problem_(std::move(problem)) {
    if (!object_->json.is_object())
        record(prefix_.empty() ? "(top level)" : prefix_, "expected an object, got " + describe_setting(object_->json));
}

void SettingsReader::record(std::string key, std::string problem) const {
    if (!*problem_) *problem_ = SettingsProblem{std::move(key), std::move(problem)};
}

void SettingsReader::reject(const std::string& key, std::string problem) const {
    record(path(key), std::move(problem));
}

std::int64_t SettingsReader::integer(const std::string& key, std::int64_t fallback, std::int64_t min,
                                     std::int64_t max) {
    const json* found = find(*object_, seen_, key);
    if (!found) return fallback;
    const json& value = *found;
    if (!value.is_number_integer() || !in_range(value, min, max)) {
        reject(key, "expected an integer " + range_text(min, max) + ", got " + describe_setting(value));
        return fallback;
    }
    return value.get<std::int64_t>();
}

bool SettingsReader::boolean(const std::string& key, bool fallback) {
    const json* found = find(*object_, seen_, key);
    if (!found) return fallback;
    const json& value = *found;
    if (!value.is_boolean()) {
        reject(key, "expected true or false, got " + describe_setting(value));
        return fallback;
    }
    return value.get<bool>();
}

std::string SettingsReader::string(const std::string& key, std::string fallback, const Check& check) {
    const json* found = find(*object_, seen_, key);
    if (!found) return fallback;
    auto text = checked_string(*found, check, [&](std::string problem) { reject(key, std::move(problem)); });
    return text ? std::move(*text) : fallback;
}

std::vector<std::string> SettingsReader::string_list(const std::string& key, std::vector<std::string> fallback,
                                                     const Check& check) {
    const json* found = find(*object_, seen_, key);
    if (!found) return fallback;
    const json& value = *found;
    if (!value.is_array()) {
        reject(key, "expected a list of strings, got " + describe_setting(value));
        return fallback;
    }
    std::vector<std::string> result;
    for (std::size_t i = 0; i < value.size(); ++i) {
        const auto item_key = key + "[" + std::to_string(i) + "]";
        auto text = checked_string(value[i], check, [&](std::string problem) { reject(item_key, std::move(problem)); });
        if (!text) return fallback;
        result.push_back(std::move(*text));
    }
    return result;
}

std::vector<std::int64_t> SettingsReader::integer_list(const std::string& key, std::vector<std::int64_t> fallback,
                                                       std::int64_t min, std::int64_t max) {
    const json* found = find(*object_, seen_, key);
    if (!found) return fallback;
    const json& value = *found;
    if (!value.is_array()) {
        reject(key, "expected a list of integers, got " + describe_setting(value));
        return fallback;
    }
    std::vector<std::int64_t> result;
    for (std::size_t i = 0; i < value.size(); ++i) {
        const auto& item = value[i];
        if (!item.is_number_integer() || !in_range(item, min, max)) {
            reject(key + "[" + std::to_string(i) + "]",
                   "expected an integer " + range_text(min, max) + ", got " + describe_setting(item));
            return fallback;
        }
        result.push_back(item.get<std::int64_t>());
    }
    return result;
}

SettingsReader SettingsReader::section(const std::string& key) {
    static const json empty = json::object();
    const json* found = find(*object_, seen_, key);
    return over(std::make_shared<const SettingsValue>(SettingsValue{found ? *found : empty}), path(key));
}

SettingsReader SettingsReader::over(std::shared_ptr<const SettingsValue> object, std::string prefix) const {
    return SettingsReader(std::move(object), std::move(prefix), problem_);
}

void SettingsReader::reject_unknown() const {
    if (!object_->json.is_object()) return;  // already the problem
    for (const auto& [key, value] : object_->json.items())
        if (!seen_.contains(key))
            return reject(key, "unknown key (check the spelling; see the configuration reference for the known keys)");
}

}  // namespace cti
