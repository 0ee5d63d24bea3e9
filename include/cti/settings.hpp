// Reading a JSON settings object with errors that name the key and what was expected.
//
// The core reads its config file with it, and each driver reads its own section with it, so a
// mistake anywhere in the file gets the same kind of message: which key, what was expected,
// what was found. Unknown keys are errors (a typo must not silently fall back to a default).
#pragma once

#include <cstdint>
#include <functional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace cti {

class SettingsError : public std::runtime_error {
public:
    SettingsError(std::string key, std::string problem)
        : std::runtime_error("'" + key + "': " + problem),
          key_(std::move(key)),
          problem_(std::move(problem)) {}
    const std::string& key() const { return key_; }
    const std::string& problem() const { return problem_; }

private:
    std::string key_;
    std::string problem_;
};

class SettingsReader {
public:
    // `prefix` is the dotted path of `object` inside the file ("" for the top level).
    SettingsReader(const nlohmann::json& object, std::string prefix)
        : object_(object), prefix_(std::move(prefix)) {
        if (!object_.is_object())
            throw SettingsError(prefix_.empty() ? "(top level)" : prefix_,
                                "expected an object, got " + describe(object_));
    }

    std::int64_t integer(const std::string& key, std::int64_t fallback, std::int64_t min,
                         std::int64_t max) {
        const auto* value = find(key);
        if (!value) return fallback;
        if (!value->is_number_integer() || !in_range(*value, min, max))
            throw SettingsError(path(key), "expected an integer from " + std::to_string(min) +
                                               " to " + std::to_string(max) + ", got " +
                                               describe(*value));
        return value->get<std::int64_t>();
    }

    bool boolean(const std::string& key, bool fallback) {
        const auto* value = find(key);
        if (!value) return fallback;
        if (!value->is_boolean())
            throw SettingsError(path(key), "expected true or false, got " + describe(*value));
        return value->get<bool>();
    }

    // `check` returns an empty string when the value is fine, else what is wrong with it.
    using Check = std::function<std::string(const std::string&)>;

    std::string string(const std::string& key, std::string fallback, const Check& check = {}) {
        const auto* value = find(key);
        if (!value) return fallback;
        return checked_string(path(key), *value, check);
    }

    std::vector<std::string> string_list(const std::string& key, std::vector<std::string> fallback,
                                         const Check& check = {}) {
        const auto* value = find(key);
        if (!value) return fallback;
        if (!value->is_array())
            throw SettingsError(path(key), "expected a list of strings, got " + describe(*value));
        std::vector<std::string> result;
        for (std::size_t i = 0; i < value->size(); ++i)
            result.push_back(
                checked_string(path(key) + "[" + std::to_string(i) + "]", (*value)[i], check));
        return result;
    }

    std::vector<std::int64_t> integer_list(const std::string& key,
                                           std::vector<std::int64_t> fallback, std::int64_t min,
                                           std::int64_t max) {
        const auto* value = find(key);
        if (!value) return fallback;
        if (!value->is_array())
            throw SettingsError(path(key), "expected a list of integers, got " + describe(*value));
        std::vector<std::int64_t> result;
        for (std::size_t i = 0; i < value->size(); ++i) {
            const auto& item = (*value)[i];
            if (!item.is_number_integer() || !in_range(item, min, max))
                throw SettingsError(path(key) + "[" + std::to_string(i) + "]",
                                    "expected an integer from " + std::to_string(min) + " to " +
                                        std::to_string(max) + ", got " + describe(item));
            result.push_back(item.get<std::int64_t>());
        }
        return result;
    }

    // A nested object; an absent key reads as an empty object (all defaults).
    SettingsReader section(const std::string& key) {
        static const nlohmann::json empty = nlohmann::json::object();
        const auto* value = find(key);
        return SettingsReader(value ? *value : empty, path(key));
    }

    // Call after reading every known key.
    void reject_unknown() const {
        for (const auto& [key, value] : object_.items())
            if (!seen_.contains(key))
                throw SettingsError(path(key), "unknown key (check the spelling; see the "
                                               "configuration reference for the known keys)");
    }

    std::string path(const std::string& key) const {
        return prefix_.empty() ? key : prefix_ + "." + key;
    }

    static std::string describe(const nlohmann::json& value) {
        std::string text = value.dump();
        if (text.size() > 40) text = text.substr(0, 37) + "...";
        return std::string(value.type_name()) + " " + text;
    }

private:
    const nlohmann::json* find(const std::string& key) {
        seen_.insert(key);
        auto it = object_.find(key);
        return it == object_.end() ? nullptr : &*it;
    }

    static bool in_range(const nlohmann::json& value, std::int64_t min, std::int64_t max) {
        if (value.is_number_unsigned()) {
            const auto number = value.get<std::uint64_t>();
            return max >= 0 && number <= static_cast<std::uint64_t>(max) &&
                   (min <= 0 || number >= static_cast<std::uint64_t>(min));
        }
        auto number = value.get<std::int64_t>();
        return number >= min && number <= max;
    }

    static std::string checked_string(const std::string& where, const nlohmann::json& value,
                                      const Check& check) {
        if (!value.is_string())
            throw SettingsError(where, "expected a string, got " + describe(value));
        auto text = value.get<std::string>();
        if (check) {
            if (auto problem = check(text); !problem.empty()) throw SettingsError(where, problem);
        }
        return text;
    }

    const nlohmann::json& object_;
    std::string prefix_;
    std::set<std::string> seen_;
};

}  // namespace cti
