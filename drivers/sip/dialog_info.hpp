// RFC 4235 dialog-info+xml documents, as NOTIFYs of the dialog event package carry them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cti/call.hpp"

namespace cti::sip {

struct DialogEntry {
    std::string id;       // the dialog element's id attribute
    std::string call_id;  // its call-id attribute ("" when the notifier leaves it out)
    std::string state;    // trying, proceeding, early, confirmed or terminated
    std::string event;    // why it terminated: cancelled, rejected, replaced, local-bye, remote-bye, error, timeout
    int code = 0;         // the state's code attribute: the final SIP response, when given
    // initiator: the agent's extension placed the call; recipient: it is being called.
    // Absent in the document: nullopt.
    std::optional<Direction> direction;
    Party local;   // the agent's side
    Party remote;  // the other party (number: a dial string or "", name: the display name)

    // The call's ref: the Call-ID when known, else the dialog id.
    const std::string& ref() const { return call_id.empty() ? id : call_id; }
};

struct DialogInfo {
    unsigned long version = 0;
    bool full = false;  // state="full": the complete list; "partial": only the changed dialogs
    std::string entity;
    std::vector<DialogEntry> dialogs;
};

// nullopt for anything that is not a well-formed dialog-info document with a version and
// state; dialogs without an id or a state are skipped.
std::optional<DialogInfo> parse_dialog_info(std::string_view xml);

// The dial string in a SIP or tel URI's user part ("sip:+1 555@pbx" -> "+1555"); "" if none.
std::string number_of_uri(const std::string& uri);

}  // namespace cti::sip
