#include "frame_fields.hpp"

#include <charconv>

namespace cti::bench {
namespace {

constexpr std::string_view caller_prefix = "+1555";

// The string value of `"key":"..."` (no escapes expected in the values read here). `at` is
// where the key starts.
std::string_view value_at(std::string_view frame, std::string_view key, std::size_t at) {
    if (at == std::string_view::npos) return {};
    const auto start = at + key.size();
    const auto end = frame.find('"', start);
    if (end == std::string_view::npos) return {};
    return frame.substr(start, end - start);
}

// The encoder writes keys in alphabetical order, so the top-level "name" and "type" come after
// every nested object (a caller's "name", a call's "call_type"): the last match is the one.
std::string_view top_level_string(std::string_view frame, std::string_view key) {
    return value_at(frame, key, frame.rfind(key));
}

std::optional<std::uint64_t> number_value(std::string_view frame, std::string_view key) {
    const auto at = frame.find(key);
    if (at == std::string_view::npos) return std::nullopt;
    std::uint64_t value = 0;
    const char* first = frame.data() + at + key.size();
    const auto [end, error] = std::from_chars(first, frame.data() + frame.size(), value);
    if (error != std::errc() || end == first) return std::nullopt;
    return value;
}

}  // namespace

FrameFields read_frame_fields(std::string_view frame) {
    FrameFields fields;
    fields.type = top_level_string(frame, R"("type":")");
    fields.seq = number_value(frame, R"("seq":)");
    if (fields.type != "event") return fields;
    fields.name = top_level_string(frame, R"("name":")");
    // A pop names the caller in "caller", call.ringing in its call's "from", call_log in its log's.
    const auto party_key = fields.name == "screen_pop"                                     ? R"("caller":{)"
                           : fields.name == "call.ringing" || fields.name == "call_log" ? R"("from":{)"
                                                                                          : "";
    if (*party_key == '\0') return fields;
    const auto party = frame.find(party_key);
    if (party != std::string_view::npos)
        fields.call = call_of_caller(value_at(frame, R"("number":")", frame.find(R"("number":")", party)));
    return fields;
}

std::string_view first_string_field(std::string_view frame, std::string_view key) {
    const auto quoted = "\"" + std::string(key) + "\":\"";
    return value_at(frame, quoted, frame.find(quoted));
}

std::string caller_number(std::size_t call) {
    auto digits = std::to_string(call);
    return std::string(caller_prefix) + std::string(7 - std::min<std::size_t>(7, digits.size()), '0') + digits;
}

std::optional<std::size_t> call_of_caller(std::string_view number) {
    if (!number.starts_with(caller_prefix)) return std::nullopt;
    number.remove_prefix(caller_prefix.size());
    std::size_t call = 0;
    const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), call);
    if (error != std::errc() || end != number.data() + number.size()) return std::nullopt;
    return call;
}

}  // namespace cti::bench
