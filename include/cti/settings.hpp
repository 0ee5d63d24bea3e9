// Reading a settings object with errors that name the key and what was expected.
//
// The core reads its config file with it, and each driver reads its own section with it, so a
// mistake anywhere in the file gets the same kind of message: which key, what was expected,
// what was found. Unknown keys are errors (a typo must not silently fall back to a default).
//
// A bad value does not throw: the reader records the first problem of the file (which key, what
// was expected, what was found), the read returns its fallback, and the caller asks for its
// Result once at the end (result()). The problem is shared by the reader of the whole file and
// every section read from it, so a section's reader can be passed on by value.
//
// The file's format stays behind this class: a driver reads typed values and never sees JSON.
// The core makes a reader from the parsed file with settings_reader() (adapter/settings/
// settings_json.hpp); the reader refers to that value, which must outlive it and its sections.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cti/result.hpp"

namespace cti {

// What is wrong with a settings file: the key's dotted path ("limits.replay_buffer",
// "allowed_origins[0]") and, in words, what was expected and what was found.
struct SettingsProblem {
    std::string key;
    std::string problem;

    // "'key': problem", as a Result's message says it.
    std::string message() const { return "'" + key + "': " + problem; }
};

// One value of the parsed file, as the format's own type: known only to the reader's source.
struct SettingsValue;

class SettingsReader {
public:
    // `object` is a value of the parsed file, `prefix` its dotted path inside the file ("" for
    // the top level). When it is not an object, that is the problem and every read falls back.
    SettingsReader(std::shared_ptr<const SettingsValue> object, std::string prefix);

    // Every read returns `fallback` for an absent key, and for a bad value, which it records.

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

    // Another value of the same file (an item of a list of objects), read as `prefix`: its
    // problems are this reader's.
    SettingsReader over(std::shared_ptr<const SettingsValue> object, std::string prefix) const;

    // Call after reading every known key: a key never read is recorded as a problem.
    void reject_unknown() const;

    // Records a problem the caller found with `key` of this section: a value that reads well
    // but does not fit another ("retry_max_ms" below "retry_initial_ms"). Only the first problem
    // of a file is kept; later ones are often its consequences.
    void reject(const std::string& key, std::string problem) const;

    // The first problem of the file, if any, found by this reader or any other of the file.
    const std::optional<SettingsProblem>& problem() const { return *problem_; }

    // `value`, or the first problem as an invalid_input Error ("'key': problem").
    template <typename T>
    Result<T> result(T value) const {
        if (*problem_) return fail(ErrorKind::invalid_input, (*problem_)->message());
        return value;
    }

    std::string path(const std::string& key) const {
        return prefix_.empty() ? key : prefix_ + "." + key;
    }

private:
    using SharedProblem = std::shared_ptr<std::optional<SettingsProblem>>;
    SettingsReader(std::shared_ptr<const SettingsValue> object, std::string prefix, SharedProblem problem);
    // The full path of a problem, first one wins.
    void record(std::string key, std::string problem) const;

    std::shared_ptr<const SettingsValue> object_;
    std::string prefix_;
    std::set<std::string> seen_;
    SharedProblem problem_;
};

}  // namespace cti
