// The call-log journal on a thread of its own, so that the core's strand never waits for SQLite
// or for the disk to sync: a screen pop must not queue behind the log of the previous call.
//
// Tasks run one after the other, in the order they were queued. Whatever has queued up while
// the disk was syncing is written as one transaction, so a burst of ended calls costs one sync.
// A task returns what is left to do once its transaction has ended (its completion), which is
// told whether the transaction committed: only then is what the task wrote durable.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "call_log/call_log_journal.hpp"

namespace cti {

class CallLogWriter {
public:
    using Completion = std::function<void(bool committed)>;
    // Runs on the writer's thread; must not throw (CallLogError is the task's to report).
    using Task = std::function<Completion(CallLogJournal&)>;

    explicit CallLogWriter(std::unique_ptr<CallLogJournal> journal, std::size_t batch_limit = 256);
    // Writes everything still queued, then stops the thread: nothing queued is lost.
    ~CallLogWriter();
    CallLogWriter(const CallLogWriter&) = delete;
    CallLogWriter& operator=(const CallLogWriter&) = delete;

    void queue(Task task);

private:
    void run();
    void write(std::vector<Task>& batch);

    std::unique_ptr<CallLogJournal> journal_;
    const std::size_t batch_limit_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::vector<Task> queued_;
    bool stopping_ = false;
    std::thread thread_;  // last: it starts once everything above exists
};

}  // namespace cti
