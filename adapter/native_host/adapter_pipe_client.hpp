// The native host's end of this user's adapter pipe (Windows; net/named_pipe_listener.hpp has
// the adapter's end).
#pragma once

#include <chrono>
#include <string>

#include "net/beast.hpp"
#include "net/pipe_stream.hpp"

namespace cti {

// Opens the pipe `name` into `stream`, waiting up to `patience` while every instance is busy.
// The pipe must be served by a process of this user: one of another user (a program that took
// the name first) gets nothing and the answer is net::error::access_denied. Other answers are
// Windows' own (ERROR_FILE_NOT_FOUND: no adapter listens).
beast::error_code connect_adapter_pipe(PipeStream& stream, const std::wstring& name,
                                       std::chrono::milliseconds patience);

}  // namespace cti
