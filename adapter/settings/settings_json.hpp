// The settings reader over the parsed config file: for the core and the tests, which hold the
// file as JSON. Drivers see only cti/settings.hpp.
#pragma once

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include <cti/settings.hpp>

namespace cti {

// The reader's view of a JSON value: a reference, no copy.
struct SettingsValue {
    const nlohmann::json& json;
};

// `object` must outlive the reader and every section read from it.
inline SettingsReader settings_reader(const nlohmann::json& object, std::string prefix) {
    return SettingsReader(std::make_shared<const SettingsValue>(SettingsValue{object}), std::move(prefix));
}

// Another value of the file that `file` reads (an item of a list of objects): its problems are
// recorded with the file's. `object` must outlive the reader.
inline SettingsReader settings_reader(const nlohmann::json& object, std::string prefix, const SettingsReader& file) {
    return file.over(std::make_shared<const SettingsValue>(SettingsValue{object}), std::move(prefix));
}

// A value as an error message quotes it: its type and at most 40 characters of it.
std::string describe_setting(const nlohmann::json& value);

}  // namespace cti
