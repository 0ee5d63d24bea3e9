#include "call_log/call_log_writer.hpp"

#include <algorithm>
#include <iterator>

#include "logging/logging.hpp"

namespace cti {

CallLogWriter::CallLogWriter(std::unique_ptr<CallLogJournal> journal, std::size_t batch_limit)
    : journal_(std::move(journal)), batch_limit_(std::max<std::size_t>(batch_limit, 1)), thread_([this] { run(); }) {}

CallLogWriter::~CallLogWriter() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
}

void CallLogWriter::queue(Task task) {
    {
        std::lock_guard lock(mutex_);
        queued_.push_back(std::move(task));
    }
    wake_.notify_one();
}

// Sleeps on the condition variable while nothing is queued: an idle adapter never wakes up here.
void CallLogWriter::run() {
    std::vector<Task> batch;
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !queued_.empty(); });
            if (queued_.empty()) return;  // stopping, and everything is written
            const auto count = std::min(queued_.size(), batch_limit_);
            std::move(queued_.begin(), queued_.begin() + static_cast<std::ptrdiff_t>(count), std::back_inserter(batch));
            queued_.erase(queued_.begin(), queued_.begin() + static_cast<std::ptrdiff_t>(count));
        }
        write(batch);
        batch.clear();
    }
}

void CallLogWriter::write(std::vector<Task>& batch) {
    // One transaction for the batch; if it cannot even begin, each task commits on its own.
    bool in_transaction = false;
    try {
        journal_->begin();
        in_transaction = true;
    } catch (const CallLogError& error) {
        spdlog::error("call log: cannot begin a transaction, writing record by record: {}", error.what());
    }
    std::vector<Completion> completions;
    completions.reserve(batch.size());
    for (auto& task : batch) {
        try {
            completions.push_back(task(*journal_));
        } catch (const std::exception& error) {
            spdlog::error("call log: a write failed unexpectedly: {}", error.what());
        }
    }
    bool committed = true;
    if (in_transaction) {
        try {
            journal_->commit();
        } catch (const CallLogError& error) {
            spdlog::error("call log: {} writes were not committed: {}", batch.size(), error.what());
            journal_->rollback();
            committed = false;
        }
    }
    for (auto& completion : completions)
        if (completion) completion(committed);
}

}  // namespace cti
