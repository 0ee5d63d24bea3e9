// A scripted sequence of simulated calls: what the simulator's `scenario` injection runs.
//
// Typed here so that a driver with the `simulate` capability never sees the wire; protocol/
// decodes a scenario object (docs/PROTOCOL.md, section 6) into it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cti {

// Something that happens on a simulated phone, by the agent's hand or the far end's.
enum class PhoneAction {
    incoming,            // a call rings (scenario: `from`, `name`, `to`, `internal`)
    dial,                // an outbound call started on the phone itself (`to`)
    answer,              // the agent answers on the phone
    decline,             // the agent declines on the phone (a command; not a scenario step)
    remote_answer,       // the far end answers
    remote_hangup,       // the far end hangs up
    hangup,              // the agent hangs up on the phone
    busy,                // the far end is busy
    hold,
    resume,
    transfer,            // a blind transfer to `to`
    answered_elsewhere,  // another phone took the ringing call
};

constexpr std::string_view to_string(PhoneAction action) {
    switch (action) {
        case PhoneAction::incoming: return "incoming";
        case PhoneAction::dial: return "dial";
        case PhoneAction::answer: return "answer";
        case PhoneAction::decline: return "decline";
        case PhoneAction::remote_answer: return "remote_answer";
        case PhoneAction::remote_hangup: return "remote_hangup";
        case PhoneAction::hangup: return "hangup";
        case PhoneAction::busy: return "busy";
        case PhoneAction::hold: return "hold";
        case PhoneAction::resume: return "resume";
        case PhoneAction::transfer: return "transfer";
        case PhoneAction::answered_elsewhere: return "answered_elsewhere";
    }
    return "";
}

struct ScenarioStep {
    std::int64_t at_ms = 0;  // from the start of the scenario
    PhoneAction action = PhoneAction::incoming;
    std::string call;        // the scenario's own label for the call
    std::string from;        // incoming
    std::string name;        // incoming: caller name
    std::string to;          // incoming (called number), dial, transfer
    bool internal = false;   // incoming
};

struct SimulatedScenario {
    std::string name;
    std::vector<ScenarioStep> steps;  // sorted by at_ms, stable; every call started before use
};

}  // namespace cti
