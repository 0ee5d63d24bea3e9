// The few things the driver needs from SIP URIs and name-addrs, read with libosip2.
#pragma once

#include <optional>
#include <string>

namespace cti::baresip {

struct SipAddress {
    std::string display_name;  // unquoted; empty when absent
    std::string user;          // unescaped user part; empty when absent
    std::string host_port;     // "host" or "host:port"
};

// "sip:5551234@127.0.0.1:5070"
std::optional<SipAddress> parse_sip_uri(const std::string& uri);
// "Alice Caller <sip:5551234@127.0.0.1:5070>" or a bare URI.
std::optional<SipAddress> parse_name_addr(const std::string& text);

}  // namespace cti::baresip
