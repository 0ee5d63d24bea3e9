// Reading a settings object with errors that name the key and what was expected.
//
// The core reads its config file with it, and each driver reads its own section with it, so a
// mistake anywhere in the file gets the same kind of message: which key, what was expected,
// what was found. Unknown keys are errors (a typo must not silently fall back to a default).
//
// The file's format stays behind this class: a driver reads typed values and never sees JSON.
// The core makes a reader from the parsed file with settings_reader() (adapter/settings/
// settings_json.hpp); the reader refers to that value, which must outlive it and its sections.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

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

// One value of the parsed file, as the format's own type: known only to the reader's source.
struct SettingsValue;

class SettingsReader {
public:
    // `object` is a value of the parsed file, `prefix` its dotted path inside the file ("" for
    // the top level). Throws SettingsError when it is not an object.
    SettingsReader(std::shared_ptr<const SettingsValue> object, std::string prefix);

    std::int64_t integer(const std::string& key, std::int64_t fallback, std::int64_t min,
                         std::int64_t max);
    bool boolean(const std::string& key, bool fallback);

    // `check` returns an empty string when the value is fine, else what is wrong with it.
    using Check = std::function<std::string(const std::string&)>;

    std::string string(const std::string& key, std::string fallback, const Check& check = {});
    std::vector<std::string> string_list(const std::string& key, std::vector<std::string> fallback,
                                         const Check& check = {});
    std::vector<std::int64_t> integer_list(const std::string& key,
                                           std::vector<std::int64_t> fallback, std::int64_t min,
                                           std::int64_t max);

    // A nested object; an absent key reads as an empty object (all defaults).
    SettingsReader section(const std::string& key);

    // Call after reading every known key.
    void reject_unknown() const;

    std::string path(const std::string& key) const {
        return prefix_.empty() ? key : prefix_ + "." + key;
    }

private:
    std::shared_ptr<const SettingsValue> object_;
    std::string prefix_;
    std::set<std::string> seen_;
};

}  // namespace cti
