#include "core/call_log_service.hpp"

#include <boost/asio/post.hpp>

#include "logging/logging.hpp"

namespace cti {
namespace {

// The call_log events of one transaction go out together when it commits. Kept well under a
// page's send queue (limits.client_queue_limit, 256 by default), so that a burst of calls ended
// during a slow disk sync does not close a page that reads perfectly well (4008).
constexpr std::size_t records_per_transaction = 64;

constexpr const char* not_committed = "the transaction did not commit";

}  // namespace

CallLogService::CallLogService(boost::asio::any_io_executor strand, EventSink& events,
                               std::unique_ptr<CallLogJournal> journal, bool wrap_up_unanswered)
    : strand_(std::move(strand)), events_(events), wrap_up_unanswered_(wrap_up_unanswered) {
    try {
        restored_agent_ = journal->load_agent_state();
    } catch (const CallLogError& error) {
        spdlog::error("cannot read the agent state: {}", error.what());
    }
    log_calls_left_open(*journal);
    try {
        pending_.reset(journal->pending(pending_.capacity() + 1));
    } catch (const CallLogError& error) {
        spdlog::error("cannot read pending call logs: {}", error.what());
    }
    writer_ = std::make_unique<CallLogWriter>(std::move(journal), records_per_transaction);
}

CallLogService::~CallLogService() { writer_.reset(); }

// What the last run could not log: its calls end now, as lost with the driver.
void CallLogService::log_calls_left_open(CallLogJournal& journal) {
    try {
        for (auto call : journal.open_calls()) {
            call.state = CallState::ended;
            call.ended_at = Clock::now();
            call.end_reason = EndReason::driver_lost;
            call.end_detail = "the adapter stopped while the call was up";
            journal.record(call);
            journal.forget_open(call.id);
            spdlog::warn("call {} was still up when the adapter last stopped; logged as ended ({})", call.id,
                         to_string(EndReason::driver_lost));
        }
    } catch (const CallLogError& error) {
        spdlog::error("cannot log the calls left open by the last run: {}", error.what());
    }
}

// The journal's thread writes it; the record of its end is queued after it (log_ended), and
// forgets it.
void CallLogService::keep_open(const Call& call) {
    writer_->queue([call](CallLogJournal& journal) -> CallLogWriter::Completion {
        try {
            journal.remember_open(call);
        } catch (const CallLogError& error) {
            spdlog::error("call {}: cannot keep it in the call log while it is up: {}", call.id, error.what());
        }
        return {};
    });
}

// The event is sent once the record has committed, so a page never sees a log that a crash
// could still lose. The pops and events of other calls do not wait for the write. The record
// stays pending (offered in every snapshot) until a page acknowledges it with save_log.
void CallLogService::log_ended(const Call& call) {
    // A call that never connected has nothing to wrap up, unless the config says otherwise.
    const bool wrapped_up = !call.answered_at && !wrap_up_unanswered_;
    writer_->queue([this, call, wrapped_up](CallLogJournal& journal) -> CallLogWriter::Completion {
        std::optional<CallLogRecord> record;
        std::string problem;
        try {
            record = journal.record(call, wrapped_up);
            journal.forget_open(call.id);  // in the same transaction: an ended call is forgotten only once logged
        } catch (const CallLogError& error) {
            problem = error.what();
        }
        return [this, call, record = std::move(record), problem = std::move(problem)](bool committed) {
            boost::asio::post(strand_, [this, call, record, problem, committed] {
                announce(call, committed ? record : std::nullopt, committed ? problem : not_committed);
            });
        };
    });
}

void CallLogService::announce(const Call& call, std::optional<CallLogRecord> record, const std::string& problem) {
    if (record) {
        pending_.add(*record);
    } else {
        // The pages still get it now; only the copy on disk is missing. Say so loudly.
        spdlog::error("call {} could not be written to the call log: {}", call.id, problem);
        record.emplace();
        record->log_id = call.id;
        record->call = call;
        record->journaled = false;
    }
    events_.publish(CallLogEvent{std::move(*record)});
}

void CallLogService::save(protocol::SaveLogRequest request, std::function<void(Result<CallLogRecord>)> done) {
    // Queued behind the record's own write, so a save_log that races the write (the page has
    // call.ended, its call_log is not out yet) still finds it.
    writer_->queue([this, request = std::move(request),
                    done = std::move(done)](CallLogJournal& journal) -> CallLogWriter::Completion {
        Result<CallLogRecord> saved = fail(ErrorKind::not_found, "no call log with log_id '" +
                                                                    printable(request.log_id, 64) + "'");
        try {
            if (auto record = journal.acknowledge(request.log_id, request.disposition, request.notes))
                saved = std::move(*record);
        } catch (const CallLogError& error) {
            saved = fail(ErrorKind::failed, error.what());
        }
        return [this, saved = std::move(saved), done](bool committed) {
            boost::asio::post(strand_, [this, saved, done, committed]() mutable {
                if (!committed) return done(fail(ErrorKind::failed, not_committed));
                if (!saved) return done(std::move(saved));
                if (pending_.remove(saved->log_id)) reload_pending();
                // The page that saved it has its result before every page hears of it.
                done(saved);
                events_.publish(CallLogSavedEvent{std::move(*saved)});
            });
        };
    });
}

// The pending list holds only the oldest records; once one of them is saved, the next ones come
// from the journal. The read is queued behind every write so far, and its answer is applied
// after theirs, so the list stays what the journal holds.
void CallLogService::reload_pending() {
    const auto limit = pending_.capacity() + 1;
    writer_->queue([this, limit](CallLogJournal& journal) -> CallLogWriter::Completion {
        try {
            auto records = journal.pending(limit);
            return [this, records = std::move(records)](bool committed) {
                if (!committed) return;
                boost::asio::post(strand_, [this, records] { pending_.reset(records); });
            };
        } catch (const CallLogError& error) {
            spdlog::error("cannot read pending call logs: {}", error.what());
            return {};
        }
    });
}

void CallLogService::history(protocol::HistoryRequest request, std::function<void(Result<HistoryPage>)> done) {
    // A read, but on the journal's thread: the journal is that thread's alone.
    writer_->queue([this, request, done = std::move(done)](CallLogJournal& journal) -> CallLogWriter::Completion {
        Result<HistoryPage> page = HistoryPage{};
        try {
            // One record more than asked for says whether another page exists: a page that is
            // exactly full is not followed by an empty one.
            const auto limit = static_cast<std::size_t>(request.limit);
            page->newest_first = journal.history(request.before, limit + 1);
            page->more = page->newest_first.size() > limit;
            if (page->more) page->newest_first.resize(limit);
        } catch (const CallLogError& error) {
            page = fail(ErrorKind::failed, error.what());
        }
        return [this, page = std::move(page), done](bool) {
            boost::asio::post(strand_, [page, done]() mutable { done(std::move(page)); });
        };
    });
}

void CallLogService::keep_agent_state(const AgentState& state) {
    writer_->queue([state](CallLogJournal& journal) -> CallLogWriter::Completion {
        try {
            journal.store_agent_state(state);
        } catch (const CallLogError& error) {
            spdlog::error("cannot keep the agent state: {}", error.what());
        }
        return {};
    });
}

void CallLogService::after_queued_writes(std::function<void()> then) {
    writer_->queue([this, then = std::move(then)](CallLogJournal&) -> CallLogWriter::Completion {
        return [this, then](bool) { boost::asio::post(strand_, then); };
    });
}

}  // namespace cti
