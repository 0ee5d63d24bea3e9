// Just enough SIP text handling for the benchmark's PBX: read a header, answer a request.
#pragma once

#include <string>
#include <string_view>

namespace cti::bench::sip {

std::string_view start_line(std::string_view message);
bool is_request(std::string_view message);
std::string_view method(std::string_view message);  // "" for a response
int status(std::string_view message);                // 0 for a request
// The value of the first header called `name` (case-insensitive), "" when missing.
std::string_view header(std::string_view message, std::string_view name);
// A `;tag=` parameter of a From/To value.
std::string_view tag_of(std::string_view from_or_to);

// A response to `request`: its Via, From, Call-ID and CSeq, its To with `to_tag` added when it
// has none, then `extra_headers` (each ending in CRLF) and no body.
std::string response(std::string_view request, int code, std::string_view reason,
                     std::string_view to_tag, std::string_view extra_headers = {});

}  // namespace cti::bench::sip
