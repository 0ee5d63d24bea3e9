// The core's values read back from what the adapter sent (the driver, a party, a call), for the
// command line's decoders: the field names of protocol/values.cpp, read the other way.
#pragma once

#include <string>

#include "core/page_event.hpp"
#include "cti/call.hpp"
#include "cti/result.hpp"
#include "protocol/received_object.hpp"

namespace cti::protocol {

// What the command line shows of a call (`cti-adapter status`).
struct CallSummary {
    std::string id;
    Direction direction = Direction::inbound;
    CallState state = CallState::ringing;
    Party from;
    Party to;
};

// The field `name` of `parent`, read as each value is written by protocol::to_json.
Result<DriverInfo> driver_field(const ReceivedObject& parent, const char* name);
Result<Party> party_field(const ReceivedObject& parent, const char* name);
Result<CallSummary> call_summary(const ReceivedObject& call);
Result<EndReason> end_reason_field(const ReceivedObject& parent, const char* name);

}  // namespace cti::protocol
