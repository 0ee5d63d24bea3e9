#include "core/pending_call_logs.hpp"

#include <algorithm>

namespace cti {

void PendingCallLogs::reset(const std::vector<CallLogRecord>& oldest) {
    records_.clear();
    journal_holds_more_ = false;
    for (const auto& record : oldest) add(record);
}

void PendingCallLogs::add(const CallLogRecord& record) {
    if (record.acknowledged) return;
    const auto same = [&](const CallLogRecord& held) { return held.log_id == record.log_id; };
    if (std::any_of(records_.begin(), records_.end(), same)) return;
    if (records_.size() >= capacity_ || journal_holds_more_) {
        journal_holds_more_ = true;  // it stays on disk; a later reload brings it in
        return;
    }
    records_.push_back(record);
}

bool PendingCallLogs::remove(const std::string& log_id) {
    const auto removed = std::erase_if(records_, [&](const CallLogRecord& held) { return held.log_id == log_id; });
    return removed > 0 && journal_holds_more_;
}

}  // namespace cti
