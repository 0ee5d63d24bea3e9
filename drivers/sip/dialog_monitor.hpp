// Turns the dialog-info NOTIFYs about the agent's extension into call reports.
//
// The notifier (the PBX) describes every dialog of the extension; this keeps what it has said
// so far and reports only the changes: a new dialog is offered (recipient) or dialing
// (initiator), confirmed is connected, terminated is ended with a reason read from how far the
// dialog got and from the state's event and code.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cti/driver.hpp"
#include "sip/dialog_info.hpp"

namespace cti::sip {

class DialogMonitor {
public:
    // Applies one document. Versions not newer than the last one are ignored (RFC 4235 4.1:
    // a repeated or out-of-order NOTIFY); a full document also ends the dialogs it omits.
    std::vector<CallReport> apply(const DialogInfo& info);
    // The subscription is gone: forget everything (the core ends the calls as driver_lost).
    void reset();
    // A new subscription counts its versions anew; the dialogs known so far stay until its
    // first full document says which are still there.
    void new_subscription() { version_.reset(); }
    std::size_t active() const { return dialogs_.size(); }

    static EndReason end_reason(const DialogEntry& dialog, bool was_confirmed, Direction direction);
    // The final response of a call that never connected ("486 Busy Here"), else empty.
    static std::string end_detail(const DialogEntry& dialog, bool was_confirmed);

private:
    struct Tracked {
        Direction direction = Direction::inbound;
        bool confirmed = false;
    };
    void apply_dialog(const DialogEntry& dialog, std::vector<CallReport>& reports);
    void start(const DialogEntry& dialog, std::vector<CallReport>& reports);

    std::map<std::string, Tracked> dialogs_;  // by ref
    std::optional<unsigned long> version_;
};

}  // namespace cti::sip
