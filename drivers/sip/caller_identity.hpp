// Who is calling, as the INVITE that rings the driver (ring-only mode) says it.
#pragma once

#include "cti/call.hpp"
#include "sip/sip_message.hpp"

namespace cti::sip {

// The caller's number and display name: from P-Asserted-Identity where the PBX vouches for
// the caller (RFC 3325; the first identity that gives each), else from the From header.
Party caller_of(const SipMessage& invite);

}  // namespace cti::sip
