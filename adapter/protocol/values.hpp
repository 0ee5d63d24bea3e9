// How the protocol writes the core's values (a call, a party, a call log, the agent's state, a
// screen pop): the field names of docs/PROTOCOL.md, in one place. Frames are built from these
// by protocol/messages.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/page_event.hpp"
#include "cti/call.hpp"
#include "screen_pop/contact.hpp"
#include "screen_pop/screen_pop.hpp"

namespace cti::protocol {

using cti::DriverInfo;

std::string iso8601(TimePoint time);
nlohmann::json to_json(const Call& call);
nlohmann::json to_json(const Party& party);
nlohmann::json to_json(const DriverInfo& driver);
nlohmann::json to_json(const Contact& contact);
nlohmann::json to_json(const CallLogRecord& record);
nlohmann::json to_json(const AgentState& agent);
// The fields of a `screen_pop` event (everything but the envelope).
nlohmann::json screen_pop_fields(const ScreenPop& pop);

}  // namespace cti::protocol
