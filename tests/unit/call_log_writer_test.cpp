// The call-log journal's own thread: tasks in order, a burst in one transaction, completions
// only after the commit, and nothing queued lost when the writer goes away.
#include <catch2/catch.hpp>

#include <atomic>
#include <future>
#include <mutex>
#include <vector>

#include "call_log/call_log_writer.hpp"
#include "../support/temp_dir.hpp"

using namespace cti;

namespace {

Call ended_call(const std::string& id) {
    Call call;
    call.id = id;
    call.state = CallState::ended;
    call.from = {"+14155550123", "Ada"};
    call.to = {"1001", ""};
    call.started_at = Clock::now();
    call.ended_at = call.started_at;
    call.end_reason = EndReason::normal;
    call.driver = "simulator";
    return call;
}

// Holds the writer's thread inside a task until released, so that what is queued meanwhile
// is known to wait.
struct Gate {
    std::promise<void> opened;
    std::shared_future<void> open = opened.get_future().share();
    std::promise<void> entered;

    CallLogWriter::Task task() {
        return [this](CallLogJournal&) -> CallLogWriter::Completion {
            entered.set_value();
            open.wait();
            return {};
        };
    }
};

}  // namespace

TEST_CASE("the call-log writer writes a burst as one transaction and completes after the commit", "[call_log]") {
    test::TempDir dir;
    const auto file = dir.path / "calls.sqlite3";
    std::mutex mutex;
    std::vector<std::string> order;
    std::vector<int> run_before_completion;
    std::atomic<int> tasks_run{0};
    std::promise<void> all_completed;
    constexpr int burst = 20;
    {
        Gate gate;  // before the writer: its thread may still be leaving the gate's wait
        CallLogWriter writer(CallLogJournal::open(file, 0).value());
        writer.queue(gate.task());
        gate.entered.get_future().wait();
        for (int i = 0; i < burst; ++i) {
            writer.queue([&, i](CallLogJournal& journal) -> CallLogWriter::Completion {
                auto record = journal.record(ended_call("call-" + std::to_string(i)));
                ++tasks_run;
                return [&, id = record.log_id](bool committed) {
                    std::lock_guard lock(mutex);
                    CHECK(committed);
                    order.push_back(id);
                    run_before_completion.push_back(tasks_run.load());
                    if (order.size() == burst) all_completed.set_value();
                };
            });
        }
        gate.opened.set_value();
        all_completed.get_future().wait();
    }
    REQUIRE(order.size() == burst);
    for (int i = 0; i < burst; ++i) CHECK(order[static_cast<std::size_t>(i)] == "call-" + std::to_string(i));
    // One batch: every task had run (inside the transaction) before the first completion.
    CHECK(run_before_completion.front() == burst);
    const auto reopened = CallLogJournal::open(file, 0).value();
    CHECK(reopened->pending().size() == burst);
}

TEST_CASE("the call-log writer writes what is still queued before it goes away", "[call_log]") {
    test::TempDir dir;
    const auto file = dir.path / "calls.sqlite3";
    constexpr int queued = 50;
    {
        Gate gate;  // outlives the writer, whose destructor waits for its thread
        CallLogWriter writer(CallLogJournal::open(file, 0).value(), 8);
        writer.queue(gate.task());
        gate.entered.get_future().wait();
        for (int i = 0; i < queued; ++i)
            writer.queue([i](CallLogJournal& journal) -> CallLogWriter::Completion {
                journal.record(ended_call("call-" + std::to_string(i)));
                return {};
            });
        gate.opened.set_value();
    }  // the destructor runs while (nearly) all of them are still queued
    const auto reopened = CallLogJournal::open(file, 0).value();
    const auto pending = reopened->pending();
    REQUIRE(pending.size() == queued);
    CHECK(pending.front().log_id == "call-0");
    CHECK(pending.back().log_id == "call-" + std::to_string(queued - 1));
}

TEST_CASE("a task that throws does not stop the call-log writer", "[call_log]") {
    test::TempDir dir;
    std::promise<bool> next_committed;
    {
        CallLogWriter writer(CallLogJournal::open(dir.path / "calls.sqlite3", 0).value());
        writer.queue([](CallLogJournal&) -> CallLogWriter::Completion { throw std::runtime_error("broken task"); });
        writer.queue([&](CallLogJournal& journal) -> CallLogWriter::Completion {
            journal.record(ended_call("after"));
            return [&](bool committed) { next_committed.set_value(committed); };
        });
    }
    CHECK(next_committed.get_future().get());
}
