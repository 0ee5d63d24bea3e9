// message/sipfrag bodies (RFC 3420), as the NOTIFYs of a REFER's implicit subscription carry
// them (RFC 3515): the status line of the referred call's latest response.
#pragma once

#include <optional>
#include <string_view>

namespace cti::sip {

// The status code of a sipfrag's status line ("SIP/2.0 180 Ringing" -> 180), read by libosip2;
// nullopt when the body is not a SIP response fragment (a request line, garbage, empty).
std::optional<int> sipfrag_status(std::string_view body);

}  // namespace cti::sip
