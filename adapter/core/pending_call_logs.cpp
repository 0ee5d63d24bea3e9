#include "core/pending_call_logs.hpp"

#include <algorithm>

namespace cti {

void PendingCallLogs::reset(const std::vector<CallLogRecord>& oldest) {
    entries_.clear();
    journal_holds_more_ = false;
    for (const auto& record : oldest) add(record);
}

void PendingCallLogs::add(const CallLogRecord& record) {
    if (record.acknowledged) return;
    const auto same = [&](const Entry& entry) { return entry.log_id == record.log_id; };
    if (std::any_of(entries_.begin(), entries_.end(), same)) return;
    if (entries_.size() >= capacity_ || journal_holds_more_) {
        journal_holds_more_ = true;  // it stays on disk; a later reload brings it in
        return;
    }
    entries_.push_back({record.log_id, cti::to_json(record)});
}

bool PendingCallLogs::remove(const std::string& log_id) {
    const auto removed = std::erase_if(entries_, [&](const Entry& entry) { return entry.log_id == log_id; });
    return removed > 0 && journal_holds_more_;
}

nlohmann::json PendingCallLogs::to_json() const {
    auto logs = nlohmann::json::array();
    for (const auto& entry : entries_) logs.push_back(entry.log);
    return logs;
}

}  // namespace cti
