// The adapter's one error convention (docs/ARCHITECTURE.md, "Errors").
//
// A function that can fail for a reason outside the program (bad input, a peer's refusal, the
// disk, the operating system, a phone system) returns `Result<T>`: the value, or an `Error`
// saying what kind of failure it was and, in words for a person, what exactly (which file, key
// or field; what was expected; what the peer said). Asynchronous operations complete with a
// `Result<T>` as well. Exceptions are only for bugs: a library call that throws (a JSON parse,
// std::stoi) is caught where it is made and turned into a Result.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include <tl/expected.hpp>

namespace cti {

// What kind of failure, for the code that decides what to do next. The words are in `message`.
enum class ErrorKind {
    invalid_input,  // malformed or out of range: a config key, a command field, a peer's message
    not_found,      // the thing named does not exist (a call, a log, a file)
    invalid_state,  // it exists, but cannot do this now (answer a connected call)
    unsupported,    // this can never be done here (the phone system has no such feature)
    unavailable,    // the peer or resource is not reachable now (not connected, port taken)
    refused,        // the peer was reached and said no (a SIP 486, a TAPI error code)
    failed,         // tried, and it broke (disk full, an I/O error, a timeout)
};

constexpr std::string_view to_string(ErrorKind kind) {
    switch (kind) {
        case ErrorKind::invalid_input: return "invalid_input";
        case ErrorKind::not_found: return "not_found";
        case ErrorKind::invalid_state: return "invalid_state";
        case ErrorKind::unsupported: return "unsupported";
        case ErrorKind::unavailable: return "unavailable";
        case ErrorKind::refused: return "refused";
        case ErrorKind::failed: return "failed";
    }
    return "failed";
}

struct Error {
    ErrorKind kind = ErrorKind::failed;
    std::string message;
};

template <typename T = void>
using Result = tl::expected<T, Error>;

// `return fail(ErrorKind::not_found, "no call 'c-1'");` from a function returning any Result.
inline tl::unexpected<Error> fail(ErrorKind kind, std::string message) {
    return tl::unexpected<Error>(Error{kind, std::move(message)});
}
inline tl::unexpected<Error> fail(Error error) { return tl::unexpected<Error>(std::move(error)); }

}  // namespace cti
