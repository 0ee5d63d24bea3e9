// What the core tells pages, as types. protocol/ alone names the events and their fields and
// encodes each one once (protocol::encode_event); the core, the call log and the agent's state
// only say what happened.
#pragma once

#include <string>
#include <variant>

#include "agent/agent_state.hpp"
#include "call_log/call_log_record.hpp"
#include "cti/call.hpp"
#include "cti/driver.hpp"
#include "screen_pop/screen_pop.hpp"

namespace cti {

// The driver as pages see it: its name and how it is doing.
struct DriverInfo {
    std::string name;
    DriverStatus status;
};

// A call changed state: `kind` says how (ringing, dialing, connected, held, resumed, ended).
struct CallEvent {
    CallReport::Kind kind;
    Call call;
};

// Who the caller is in the CRM and what the page opens, once the caller lookup has answered.
struct ScreenPopEvent {
    ScreenPop pop;
};

struct AgentStateEvent {
    AgentState agent;
};

// A call's log, once the journal has committed it (or failed to: `log.journaled` is false).
struct CallLogEvent {
    CallLogRecord log;
};

// A page saved a call's log (disposition, notes): the other pages close their wrap-up form.
struct CallLogSavedEvent {
    CallLogRecord log;
};

struct DriverStatusEvent {
    DriverInfo driver;
};

using PageEvent = std::variant<CallEvent, ScreenPopEvent, AgentStateEvent, CallLogEvent,
                               CallLogSavedEvent, DriverStatusEvent>;

}  // namespace cti
