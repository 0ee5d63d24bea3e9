// The call logs no page has acknowledged yet, as the pages know them. Kept on the core's strand
// so that a snapshot never reads the disk: a record joins when its write has committed (as its
// `call_log` event goes out) and leaves when its acknowledgement has committed. A record whose
// write is still in flight is not listed; the page gets it as that `call_log` event instead, so
// no record is missed or offered twice.
//
// At most `capacity` records (the snapshot's limit) are held, oldest first. When the journal
// holds more, removing one asks for the journal to be read again (see needs_reload()).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "call_log/call_log_record.hpp"

namespace cti {

class PendingCallLogs {
public:
    explicit PendingCallLogs(std::size_t capacity) : capacity_(capacity) {}

    std::size_t capacity() const { return capacity_; }
    // Replaces the list with the journal's pending records, oldest first (read capacity() + 1
    // of them, so that it can tell whether the journal holds more).
    void reset(const std::vector<CallLogRecord>& oldest);
    // A record just made durable (newer than every record held).
    void add(const CallLogRecord& record);
    // An acknowledged record; true when it was held and the journal holds more than the list,
    // so the list should be read again.
    bool remove(const std::string& log_id);

    // As the snapshot's `call_logs`, oldest first.
    const std::vector<CallLogRecord>& records() const { return records_; }

private:
    std::size_t capacity_;
    std::vector<CallLogRecord> records_;
    bool journal_holds_more_ = false;
};

}  // namespace cti
