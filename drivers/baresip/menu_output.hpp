// Reading the text that baresip's menu commands answer with (listcalls, callstat, reginfo).
// These are meant for people, so only the parts the driver relies on are read, and anything
// unexpected reads as "nothing found" rather than as an error.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace cti::baresip {

// One line of `listcalls`: "> [line 1]  0:00:05  ESTABLISHED  (on hold)  sip:555@host".
struct ListedCall {
    int line = 0;          // baresip's line number, for the `line` command
    bool current = false;  // marked '>': the call that accept/hangup/hold act on
    std::string state;     // INCOMING, OUTGOING, RINGING, EARLY, ESTABLISHED, ...
    bool on_hold = false;
    std::string peer_uri;
};
std::vector<ListedCall> parse_listcalls(const std::string& data);

// `callstat` of the current call: "===== Call debug (INCOMING) =====", " peer_uri:  Name <sip:..>",
// " af=AF_INET id=<Call-ID>", " direction: Incoming".
struct CallDetails {
    std::string state;
    std::string peer;  // name-addr as printed
    std::string id;
    bool incoming = true;
};
std::optional<CallDetails> parse_callstat(const std::string& data);

// The account AORs listed by `reginfo` ("> sip:bob@127.0.0.1:5062  OK ..."), current first.
std::vector<std::string> parse_reginfo(const std::string& data);

}  // namespace cti::baresip
