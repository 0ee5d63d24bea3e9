// The call log that is never lost: every ended call is written to a local SQLite journal
// before any page hears of it, and stays "pending" until a page acknowledges it (save_log).
// Pending records are offered again on every connect, across adapter restarts.
// Not thread-safe: the core hands it to its CallLogWriter, whose one thread uses it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "agent/agent_state.hpp"
#include "call_log/call_log_record.hpp"
#include "cti/call.hpp"
#include "cti/result.hpp"

struct sqlite3;

namespace cti {

// SQLite failing while the adapter runs (the disk full, the file taken away). Still thrown, not
// returned: every use is a task on the journal's thread (CallLogWriter), which must learn of a
// failure in any of a task's statements and roll the transaction back, and the task (in
// core/call_log_service.cpp) turns it into the page's Result or a log line at that one place.
// Opening the journal does not throw: open() returns the failure.
class CallLogError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class CallLogJournal {
public:
    // Opens (creating if needed) the journal file and its tables. `failed`, naming the file and
    // SQLite's reason, when it cannot be opened or is not a journal (not a database, read-only).
    static Result<std::unique_ptr<CallLogJournal>> open(const std::filesystem::path& file, int retention_days);
    ~CallLogJournal();
    CallLogJournal(const CallLogJournal&) = delete;
    CallLogJournal& operator=(const CallLogJournal&) = delete;

    // Writes the record of an ended call durably (fsync) and returns it. A record written
    // `wrapped_up` is acknowledged from the start: it is history, never pending.
    CallLogRecord record(const Call& ended_call, bool wrapped_up = false);
    // Attaches the disposition and notes and marks it acknowledged; nullopt if no such log.
    std::optional<CallLogRecord> acknowledge(const std::string& log_id,
                                             const std::optional<std::string>& disposition,
                                             const std::optional<std::string>& notes);
    // Records not acknowledged yet, oldest first.
    std::vector<CallLogRecord> pending(std::size_t limit = 500);
    // Newest first, `before` a cursor (0: from the newest).
    std::vector<CallLogRecord> history(std::int64_t before, std::size_t limit);
    // Removes acknowledged records older than the retention period.
    void prune();

    // Calls still up, kept so that a call is logged even when the adapter is killed before it
    // ends: the next start finds it here and logs it (see AdapterCore::log_calls_left_open).
    void remember_open(const Call& call);
    void forget_open(const std::string& call_id);
    std::vector<Call> open_calls();

    // Groups the writes in between into one transaction, so that they cost one disk sync.
    void begin();
    void commit();
    void rollback() noexcept;

    // The agent's state, kept across restarts with the call log.
    void store_agent_state(const AgentState& state);
    std::optional<AgentState> load_agent_state();

private:
    CallLogJournal(std::filesystem::path file, int retention_days, sqlite3* db);
    void create_tables();
    void execute(const char* sql);
    void add_column_if_missing(const char* column, const char* type);
    void take_over_kept_values();
    std::vector<CallLogRecord> query(const std::string& where_and_order, std::int64_t parameter,
                                     std::size_t limit);

    std::filesystem::path file_;
    int retention_days_;
    sqlite3* db_ = nullptr;
};

}  // namespace cti
