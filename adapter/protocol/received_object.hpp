// Typed reads of a JSON object the adapter's command line received (a frame, an HTTP body), for
// protocol/'s client-side decoders. Nothing here throws: every problem is an invalid_input Error
// that names what was read and the field's path ("the /status body: 'driver.status' must be a
// string, got number").
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "cti/result.hpp"

namespace cti::protocol {

class ReceivedObject {
public:
    // `text` parsed; an Error when it is not JSON or not an object. `what` names it in messages.
    static Result<ReceivedObject> parse(std::string_view text, std::string what);

    bool has(const char* name) const;  // present, null or not
    Result<std::string> string(const char* name) const;
    // Absent or null: nullopt.
    Result<std::optional<std::string>> optional_string(const char* name) const;
    Result<bool> boolean(const char* name) const;
    Result<std::int64_t> integer(const char* name) const;
    // An integer from 0 to `max`.
    Result<std::uint64_t> count(const char* name, std::uint64_t max = UINT64_MAX) const;
    Result<ReceivedObject> object(const char* name) const;
    Result<std::vector<ReceivedObject>> objects(const char* name) const;  // an array of objects
    Result<std::vector<std::string>> strings(const char* name) const;     // an array of strings
    // A string that must be the protocol name (`to_string`) of one of `values`.
    template <typename Enum>
    Result<Enum> named(const char* name, std::span<const Enum> values) const {
        auto text = string(name);
        if (!text) return fail(text.error());
        for (auto value : values)
            if (to_string(value) == *text) return value;
        return unknown_name(name, *text);
    }

private:
    ReceivedObject(std::shared_ptr<const nlohmann::json> root, const nlohmann::json* node, std::string what,
                   std::string path);
    // The field, or an Error saying it is missing.
    Result<const nlohmann::json*> field(const char* name) const;
    std::string path_of(const char* name) const;
    tl::unexpected<Error> wrong_type(const char* name, const nlohmann::json& value, std::string_view expected) const;
    tl::unexpected<Error> unknown_name(const char* name, const std::string& text) const;

    std::shared_ptr<const nlohmann::json> root_;  // keeps node_ alive
    const nlohmann::json* node_;
    std::string what_;
    std::string path_;  // of this object inside the root, "" for the root ("driver", "paired[2]")
};

// The first failed read of a decoder: it reads field after field and checks once at the end.
class FirstProblem {
public:
    template <typename T>
    T take(Result<T> read) {
        if (read) return std::move(*read);
        if (!problem_) problem_ = std::move(read.error());
        return T{};
    }
    explicit operator bool() const { return problem_.has_value(); }
    tl::unexpected<Error> failure() const { return fail(*problem_); }

private:
    std::optional<Error> problem_;
};

}  // namespace cti::protocol
