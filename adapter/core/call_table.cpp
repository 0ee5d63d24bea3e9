#include "core/call_table.hpp"

#include <algorithm>

namespace cti {
namespace {

constexpr std::size_t ended_memory = 1024;  // late reports for older calls are rare and harmless

std::string_view describe(CallReport::Kind kind) {
    switch (kind) {
        case CallReport::Kind::offered: return "offered";
        case CallReport::Kind::dialing: return "dialing";
        case CallReport::Kind::connected: return "connected";
        case CallReport::Kind::held: return "held";
        case CallReport::Kind::resumed: return "resumed";
        case CallReport::Kind::ended: return "ended";
    }
    return "?";
}

}  // namespace

CallTable::CallTable(std::string id_prefix, std::string driver)
    : id_prefix_(std::move(id_prefix)), driver_(std::move(driver)) {}

std::string CallTable::reserve_id() {
    auto id = id_prefix_ + "-" + std::to_string(next_id_++);
    reserved_.insert(id);
    return id;
}

void CallTable::release(const std::string& reserved_id) { reserved_.erase(reserved_id); }

std::variant<CallChange, RejectedReport> CallTable::apply(const CallReport& report, TimePoint now) {
    if (report.ref.empty()) return RejectedReport{"a report without a call ref"};
    const bool starts = report.kind == CallReport::Kind::offered ||
                        report.kind == CallReport::Kind::dialing;
    return starts ? start_call(report, now) : change_call(report, now);
}

std::variant<CallChange, RejectedReport> CallTable::start_call(const CallReport& report,
                                                              TimePoint now) {
    if (by_ref_.contains(report.ref) || ended_refs_.contains(report.ref))
        return RejectedReport{"call " + report.ref + " was reported " +
                              std::string(describe(report.kind)) + " twice"};
    const bool offered = report.kind == CallReport::Kind::offered;
    if (offered && report.direction == Direction::outbound)
        return RejectedReport{"call " + report.ref + " was offered as an outbound call"};

    Call call;
    if (reserved_.erase(report.ref) == 1)
        call.id = report.ref;
    else
        call.id = id_prefix_ + "-" + std::to_string(next_id_++);
    call.direction = offered ? report.direction : Direction::outbound;
    call.state = offered ? CallState::ringing : CallState::dialing;
    call.from = report.from;
    call.to = report.to;
    call.started_at = now;
    call.driver = driver_;
    ref_by_id_[call.id] = report.ref;
    auto [it, inserted] = by_ref_.emplace(report.ref, std::move(call));
    return CallChange{report.kind, it->second};
}

std::variant<CallChange, RejectedReport> CallTable::change_call(const CallReport& report,
                                                               TimePoint now) {
    auto it = by_ref_.find(report.ref);
    if (it == by_ref_.end()) {
        auto why = ended_refs_.contains(report.ref) ? " after it ended" : " for an unknown call";
        return RejectedReport{std::string(describe(report.kind)) + " reported for call " +
                              report.ref + why};
    }
    Call& call = it->second;
    const auto state = call.state;
    switch (report.kind) {
        case CallReport::Kind::connected:
            if (state != CallState::ringing && state != CallState::dialing) break;
            call.state = CallState::connected;
            call.answered_at = now;
            return CallChange{report.kind, call};
        case CallReport::Kind::held:
            if (state != CallState::connected) break;
            call.state = CallState::held;
            return CallChange{report.kind, call};
        case CallReport::Kind::resumed:
            if (state != CallState::held) break;
            call.state = CallState::connected;
            return CallChange{report.kind, call};
        case CallReport::Kind::ended:
            return finish(it, report.reason, report.detail, now);
        default:
            break;
    }
    return RejectedReport{std::string(describe(report.kind)) + " reported for call " + call.id +
                          " while it is " + std::string(to_string(state))};
}

CallChange CallTable::finish(std::map<std::string, Call>::iterator it, EndReason reason,
                             std::string detail, TimePoint now) {
    Call call = std::move(it->second);
    call.state = CallState::ended;
    call.ended_at = now;
    call.end_reason = reason;
    call.end_detail = std::move(detail);
    remember_ended(it->first);
    ref_by_id_.erase(call.id);
    pop_by_id_.erase(call.id);
    by_ref_.erase(it);
    return CallChange{CallReport::Kind::ended, std::move(call)};
}

std::vector<CallChange> CallTable::end_all(EndReason reason, const std::string& detail, TimePoint now) {
    std::vector<CallChange> changes;
    while (!by_ref_.empty()) changes.push_back(finish(by_ref_.begin(), reason, detail, now));
    std::sort(changes.begin(), changes.end(), [](const auto& a, const auto& b) {
        return a.call.started_at < b.call.started_at;
    });
    return changes;
}

void CallTable::remember_ended(const std::string& ref) {
    ended_refs_.insert(ref);
    ended_order_.push_back(ref);
    if (ended_order_.size() > ended_memory) {
        ended_refs_.erase(ended_order_.front());
        ended_order_.pop_front();
    }
}

const Call* CallTable::find(const std::string& id) const {
    auto ref = ref_by_id_.find(id);
    return ref == ref_by_id_.end() ? nullptr : &by_ref_.at(ref->second);
}

const std::string* CallTable::ref_of(const std::string& id) const {
    auto ref = ref_by_id_.find(id);
    return ref == ref_by_id_.end() ? nullptr : &ref->second;
}

bool CallTable::has_seen_ref(const std::string& ref) const {
    return by_ref_.contains(ref) || ended_refs_.contains(ref);
}

std::vector<Call> CallTable::active() const {
    std::vector<Call> calls;
    for (const auto& [ref, call] : by_ref_) calls.push_back(call);
    std::sort(calls.begin(), calls.end(),
              [](const auto& a, const auto& b) { return a.started_at < b.started_at; });
    return calls;
}

const ScreenPop* CallTable::keep_screen_pop(ScreenPop pop) {
    const Call* now = find(pop.call.id);
    if (!now) return nullptr;
    pop.call = *now;  // it may have been answered while the lookup ran
    auto id = pop.call.id;
    return &pop_by_id_.insert_or_assign(std::move(id), std::move(pop)).first->second;
}

std::vector<ScreenPop> CallTable::screen_pops() const {
    std::vector<ScreenPop> pops;
    for (const auto& call : active()) {
        auto kept = pop_by_id_.find(call.id);
        if (kept == pop_by_id_.end()) continue;
        pops.push_back(kept->second);
        pops.back().call = call;  // as the call is now (answered, held, ...), not as it was at the pop
    }
    return pops;
}

}  // namespace cti
