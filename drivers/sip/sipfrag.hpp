// message/sipfrag bodies (RFC 3420), as the NOTIFYs of a REFER's implicit subscription carry
// them (RFC 3515): the status line of the referred call's latest response.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cti::sip {

struct SipfragStatus {
    int code = 0;
    std::string line;  // "486 Busy Here": the code and the reason phrase, as the far end said it
};

// A sipfrag's status line ("SIP/2.0 180 Ringing" -> 180, "180 Ringing"), read by libosip2;
// nullopt when the body is not a SIP response fragment (a request line, garbage, empty).
std::optional<SipfragStatus> sipfrag_status(std::string_view body);

}  // namespace cti::sip
