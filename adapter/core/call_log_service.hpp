// The call log as the core uses it: every ended call journaled before any page hears of it
// (then `call_log`), the logs no page has saved yet (offered in every snapshot), save_log and
// history, and the calls kept while they are up so that even a killed adapter logs them.
//
// The journal runs on its own thread (CallLogWriter: disk syncs never hold up a pop); its
// answers come back to the core's strand, where this class lives.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include <boost/asio/any_io_executor.hpp>

#include "call_log/call_log_journal.hpp"
#include "call_log/call_log_writer.hpp"
#include "core/event_sink.hpp"
#include "core/pending_call_logs.hpp"
#include "cti/result.hpp"
#include "protocol/command_fields.hpp"

namespace cti {

struct HistoryPage {
    std::vector<CallLogRecord> newest_first;
    bool more = false;
};

class CallLogService {
public:
    // Reads what the last run left (its open calls are logged as lost, the pending logs, the
    // agent's state), then hands the journal to its thread. `wrap_up_unanswered`: whether a
    // call that never connected waits for the agent's wrap-up like a talked call.
    CallLogService(boost::asio::any_io_executor strand, EventSink& events, std::unique_ptr<CallLogJournal> journal,
                   bool wrap_up_unanswered);
    // Writes everything still queued (a SIGTERM loses nothing).
    ~CallLogService();

    // The agent's state as the last run left it.
    std::optional<AgentState> restored_agent_state() const { return restored_agent_; }
    const std::vector<CallLogRecord>& pending() const { return pending_.records(); }

    // A call that is up (ringing, dialing, connected): kept until its log is written.
    void keep_open(const Call& call);
    // An ended call: journaled, then told to the pages as `call_log`.
    void log_ended(const Call& call);
    // save_log: the record as saved, or not_found / failed. Answered once it has committed.
    void save(protocol::SaveLogRequest request, std::function<void(Result<CallLogRecord>)> done);
    void history(protocol::HistoryRequest request, std::function<void(Result<HistoryPage>)> done);
    void keep_agent_state(const AgentState& state);
    // Runs `then` on the strand once every write queued so far has ended.
    void after_queued_writes(std::function<void()> then);

private:
    void log_calls_left_open(CallLogJournal& journal);
    void announce(const Call& call, std::optional<CallLogRecord> record, const std::string& problem);
    void reload_pending();

    boost::asio::any_io_executor strand_;
    EventSink& events_;
    const bool wrap_up_unanswered_;
    PendingCallLogs pending_{500};  // the snapshot lists at most this many
    std::optional<AgentState> restored_agent_;
    // Last, so that it goes first: its queued writes are flushed while everything its
    // completions post to is still there.
    std::unique_ptr<CallLogWriter> writer_;
};

}  // namespace cti
