// Checking a failed cti::Result in a test: its kind, then its message for CHECK_THAT.
#pragma once

#include <string>

#include <catch2/catch.hpp>

#include "cti/result.hpp"

namespace cti::test {

// The message of `result`'s error, after checking its kind; "(accepted)" and a failed check
// when it holds a value.
template <typename T>
std::string error_message(const Result<T>& result, ErrorKind kind = ErrorKind::invalid_input) {
    CHECK_FALSE(result.has_value());
    if (result) return "(accepted)";
    CHECK(to_string(result.error().kind) == to_string(kind));
    return result.error().message;
}

}  // namespace cti::test
