// The few fields the benchmark reads from a protocol frame, found by scanning the text.
//
// Receivers run this for every frame at every client; a full JSON parse there would measure the
// benchmark rather than the server, so only the keys it needs are located.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cti::bench {

struct FrameFields {
    std::string_view type;             // "hello", "snapshot", "event", "result", ...
    std::string_view name;             // an event's name
    std::optional<std::uint64_t> seq;  // events and snapshots
    std::optional<std::size_t> call;   // the benchmark's call number (screen_pop, call.ringing, call_log)
};

FrameFields read_frame_fields(std::string_view frame);
// The first string value of `key` anywhere in the frame ("" when there is none).
std::string_view first_string_field(std::string_view frame, std::string_view key);

// Every call the benchmark places comes from a number that encodes its index, so any client
// can tell which call a screen pop belongs to.
std::string caller_number(std::size_t call);
std::optional<std::size_t> call_of_caller(std::string_view number);

}  // namespace cti::bench
