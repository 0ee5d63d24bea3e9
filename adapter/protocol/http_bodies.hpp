// The JSON bodies of the adapter's HTTP endpoints (docs/PROTOCOL.md, 7): /probe, /health and
// /status. The HTTP session answers with the encoders; the command line reads the bodies back
// with the decoders, which never throw (an Error names the body and the field).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/page_event.hpp"
#include "cti/result.hpp"

namespace cti::protocol {

// The whole of /status: for the adapter's own page, the command line, and paired pages.
struct StatusReport {
    std::string adapter_version;
    int protocol_version = 0;
    std::string epoch;
    std::int64_t uptime_s = 0;
    std::uint16_t port = 0;
    DriverInfo driver;
    std::size_t clients = 0;
    std::size_t active_calls = 0;
    std::uint64_t last_seq = 0;
};

// What /health tells: whether the adapter is up, and its version.
struct HealthReport {
    bool healthy = false;
    std::string adapter_version;
};

std::string encode_status_body(const StatusReport& report);
// What /probe answers, and /status to a page not trusted with more: the product and its version.
std::string encode_probe_body(std::string_view adapter_version);
std::string encode_health_body(std::string_view adapter_version);

Result<StatusReport> decode_status_body(std::string_view body);
Result<HealthReport> decode_health_body(std::string_view body);
// A JSON body indented for a person (`cti-adapter status --json`), its fields as they came.
Result<std::string> pretty_printed_body(std::string_view body);

}  // namespace cti::protocol
