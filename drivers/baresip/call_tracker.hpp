// Turns what baresip says about its calls into the driver's call reports.
//
// Pure logic with no I/O, so every mapping rule is unit-tested. The quirks it absorbs:
//   * an outbound call has no id until its CALL_RINGING/PROGRESS/ESTABLISHED/CLOSED event, and
//     the dial response carries none either: the next outgoing call event with an unknown id is
//     the oldest dial still waiting for one;
//   * CANCEL and BYE from the far end look the same (CALL_CLOSED "Connection reset by peer"):
//     an inbound call is missed when it closes before CALL_ESTABLISHED;
//   * the events a command causes may arrive before its response, so the agent's intent
//     (decline, hang up) is noted before the command is sent;
//   * baresip holds and resumes calls by itself (answering a call holds the previous one, the
//     end of the active call resumes a held one) and says only "CALL_REMOTE_SDP": the hold
//     flags are then read back from `listcalls` (hold_check_needed, reconcile_holds).
#pragma once

#include <cstddef>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "baresip/ctrl_message.hpp"
#include "baresip/menu_output.hpp"
#include "cti/driver.hpp"

namespace cti::baresip {

using Reports = std::vector<CallReport>;

// Why an outbound call that closed before it was answered ended, from CALL_CLOSED's param
// ("486 Busy Here", "603 Decline", "Connection reset by peer", ...).
EndReason unanswered_outbound_reason(const std::string& param, bool agent_hung_up);

// The number shown for a SIP URI: its user part ("sip:5551234@host" -> "5551234").
std::string number_of(const std::string& uri);

class CallTracker {
public:
    // The agent's own account (from events or reginfo): the `to` of inbound calls, the `from`
    // of outbound ones.
    void set_account(const std::string& aor);
    const std::string& account() const { return account_aor_; }

    Reports on_event(const CtrlEvent& event);

    // A dial the core asked for: reported dialing at once, under the core's ref.
    Reports begin_dial(const std::string& ref, const std::string& number);
    // The dial command failed or got no reply (`why`): the call never existed on baresip.
    Reports dial_failed(const std::string& ref, const std::string& why);

    // The agent is about to decline / hang up this call (see the header comment).
    void agent_ends(const std::string& ref);
    Reports held(const std::string& ref);
    Reports resumed(const std::string& ref);

    // After a (re)connect: a call baresip lists (a line of listcalls and its callstat).
    Reports adopt(const CallDetails& details, const ListedCall& listed);

    // Whether an event may mean that baresip held or resumed a call by itself.
    bool hold_check_needed(const CtrlEvent& event) const;
    // The hold flags as `listcalls` shows them now. A listed call is matched by its peer URI;
    // calls that share one are left as they are.
    Reports reconcile_holds(const std::vector<ListedCall>& listed);

    // The answered calls, other than `ref`, that are not on hold.
    std::vector<std::string> other_active_calls(const std::string& ref) const;

    // The connection is gone; the core ends every call (driver_lost).
    void clear();

    bool has(const std::string& ref) const { return calls_.contains(ref); }
    std::size_t size() const { return calls_.size(); }
    // baresip's id of a call, empty for a dial that has none yet.
    std::string baresip_id(const std::string& ref) const;

private:
    struct Tracked {
        Direction direction = Direction::inbound;
        bool established = false;
        bool held = false;
        bool agent_ended = false;
        std::string baresip_id;
        std::string peer_uri;
    };

    Reports on_incoming(const CtrlEvent& event);
    Reports on_established(const std::string& ref);
    Reports on_closed(const std::string& ref, const std::string& param);
    // The ref of the call an event is about, binding a waiting dial if needed; nullopt if none.
    std::optional<std::string> ref_for(const CtrlEvent& event);
    Party own_party() const;
    static CallReport report(CallReport::Kind kind, const std::string& ref);

    std::string account_aor_;
    std::map<std::string, Tracked> calls_;           // by ref
    std::map<std::string, std::string> ref_by_id_;   // baresip id -> ref
    std::deque<std::string> dials_without_id_;       // refs, oldest first
};

}  // namespace cti::baresip
