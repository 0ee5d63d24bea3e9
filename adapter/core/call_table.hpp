// The one owner of call state.
//
// Drivers only report what happened; the table decides whether the report makes sense for the
// call (nothing after `ended`, no `connected` for an unknown call, ...), assigns the public call
// ids, timestamps the changes, and returns each accepted change for the core to publish.
// Not thread-safe: the core uses it from its strand only.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "cti/call.hpp"
#include "cti/driver.hpp"
#include "screen_pop/screen_pop.hpp"

namespace cti {

struct CallChange {
    CallReport::Kind kind;
    Call call;  // the call after the change
};

// Why a report was dropped, for the log.
struct RejectedReport {
    std::string reason;
};

class CallTable {
public:
    // `id_prefix` makes ids unique across runs; `driver` is stamped on every call.
    CallTable(std::string id_prefix, std::string driver);

    // An id for a call the core is about to ask the driver for (dial): the driver reports the
    // call under this ref, and the call keeps it as its id.
    std::string reserve_id();
    // Forget a reservation whose command failed before any call appeared.
    void release(const std::string& reserved_id);

    std::variant<CallChange, RejectedReport> apply(const CallReport& report, TimePoint now);

    // Ends every active call (the driver went away, `detail` says why). Returns the changes,
    // oldest call first.
    std::vector<CallChange> end_all(EndReason reason, const std::string& detail, TimePoint now);

    const Call* find(const std::string& id) const;        // active calls only
    const std::string* ref_of(const std::string& id) const;
    bool has_seen_ref(const std::string& ref) const;       // active or recently ended
    std::vector<Call> active() const;                      // oldest first

    // The screen pop of an active call, kept while the call is up so that a page connecting
    // while it rings still gets it. Returns the pop as kept (with the call as it is now), or
    // nullptr when the call has ended meanwhile (a slow caller lookup).
    const ScreenPop* keep_screen_pop(ScreenPop pop);
    // The pop of each active call that has one, with the call as it is now; oldest call first.
    std::vector<ScreenPop> screen_pops() const;
    std::size_t size() const { return by_ref_.size(); }

private:
    std::variant<CallChange, RejectedReport> start_call(const CallReport& report, TimePoint now);
    std::variant<CallChange, RejectedReport> change_call(const CallReport& report, TimePoint now);
    CallChange finish(std::map<std::string, Call>::iterator it, EndReason reason, std::string detail,
                      TimePoint now);
    void remember_ended(const std::string& ref);

    std::string id_prefix_;
    std::string driver_;
    std::uint64_t next_id_ = 1;
    std::map<std::string, Call> by_ref_;            // active calls
    std::map<std::string, std::string> ref_by_id_;  // active calls
    std::map<std::string, ScreenPop> pop_by_id_;    // active calls that have popped
    std::set<std::string> reserved_;
    std::set<std::string> ended_refs_;              // recently ended, to refuse late reports
    std::deque<std::string> ended_order_;
};

}  // namespace cti
