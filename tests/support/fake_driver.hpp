// A test double for cti::Driver: the test decides the capabilities and the status, injects
// reports as if a phone system sent them, and sees every command the core passed down. Its
// reports come from the test's thread (the rule allows any thread; the core queues them), and
// its answers synchronously from inside execute(), the case the core must not re-enter on.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "cti/driver.hpp"

namespace cti::test {

class FakeDriver final : public Driver {
public:
    explicit FakeDriver(Capabilities capabilities) : capabilities_(capabilities) {}

    std::string_view name() const override { return "fake"; }
    Capabilities capabilities() const override { return capabilities_; }

    void start(boost::asio::io_context&, DriverEvents& events) override {
        std::lock_guard lock(mutex_);
        events_ = &events;
        events.on_status({initial_state, "fake phone system"});
    }
    void stop() override {
        std::lock_guard lock(mutex_);
        if (events_) events_->on_status({DriverState::stopped, "stopped"});
        events_ = nullptr;
    }

    // Records the command, then answers it with `answer` (default: success).
    void execute(DriverCommand command, CommandDone done) override {
        std::function<CommandOutcome(const DriverCommand&)> answer_now;
        {
            std::lock_guard lock(mutex_);
            commands_.push_back(command);
            answer_now = answer;
        }
        changed_.notify_all();
        auto outcome = answer_now ? answer_now(command) : CommandReply{};
        {
            std::lock_guard lock(mutex_);
            if (hold_answers) {
                held_.emplace_back(std::move(done), std::move(outcome));
                return;
            }
        }
        done(std::move(outcome));
    }

    // Sends the answers held back (hold_answers), in the order the commands came.
    void release_held() {
        std::deque<std::pair<CommandDone, CommandOutcome>> held;
        {
            std::lock_guard lock(mutex_);
            held.swap(held_);
        }
        for (auto& [done, outcome] : held) done(std::move(outcome));
    }

    // As if the phone system reported something (from the test's thread).
    void emit(CallReport report) {
        std::lock_guard lock(mutex_);
        if (events_) events_->on_call(std::move(report));
    }
    void set_status(DriverState state, std::string detail = {}) {
        std::lock_guard lock(mutex_);
        if (events_) events_->on_status({state, std::move(detail)});
    }

    // Waits for the next command the core passes down.
    std::optional<DriverCommand> next_command(std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
        std::unique_lock lock(mutex_);
        if (!changed_.wait_for(lock, timeout, [&] { return !commands_.empty(); })) return std::nullopt;
        auto command = std::move(commands_.front());
        commands_.pop_front();
        return command;
    }
    std::size_t commands_seen() {
        std::lock_guard lock(mutex_);
        return commands_.size();
    }

    DriverState initial_state = DriverState::connected;
    std::function<CommandOutcome(const DriverCommand&)> answer;  // set before start()
    // A phone system slow to answer: commands are taken, their answers wait for release_held().
    bool hold_answers = false;  // set before start()

private:
    Capabilities capabilities_;
    std::mutex mutex_;
    std::condition_variable changed_;
    DriverEvents* events_ = nullptr;
    std::deque<DriverCommand> commands_;
    std::deque<std::pair<CommandDone, CommandOutcome>> held_;
};

// An inbound call report, the most common thing a test injects.
inline CallReport offered(std::string ref, std::string from = "+14155550123", std::string name = "Ada Lovelace") {
    CallReport report;
    report.kind = CallReport::Kind::offered;
    report.ref = std::move(ref);
    report.direction = Direction::inbound;
    report.from = {std::move(from), std::move(name)};
    report.to = {"1001", "Agent"};
    return report;
}

inline CallReport changed(CallReport::Kind kind, std::string ref, EndReason reason = EndReason::normal) {
    CallReport report;
    report.kind = kind;
    report.ref = std::move(ref);
    report.reason = reason;
    return report;
}

}  // namespace cti::test
