// `cti-adapter dial`: places a call and waits for its first outcome, so a script (and a person
// at a terminal) learns whether it went through and, when not, the phone system's reason.
#pragma once

#include <chrono>
#include <iosfwd>
#include <string>

namespace cti {

class AdapterClient;

struct DialRequest {
    std::string number;
    // How long to wait for the call to connect or end; 0: print the call id and return at once.
    std::chrono::seconds wait{60};
};

// Prints the call id, then "connected", "ringing out" (still dialing when the wait is over) or
// the reason it ended (on `err`). Returns exit_code::ok, call_failed or command_failed.
int run_dial(AdapterClient& client, const DialRequest& request, std::ostream& out, std::ostream& err);

}  // namespace cti
