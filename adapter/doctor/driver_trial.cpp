#include "doctor/driver_trial.hpp"

#include <mutex>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

namespace cti {
namespace {

// Keeps the driver's latest status. Drivers report on the trial's loop, run by this thread
// (the sip driver still from a thread of its own, hence the lock).
class StatusWatcher final : public DriverEvents {
public:
    void on_call(CallReport) override {}  // a call that rings during the trial is not doctor's business

    void on_status(DriverStatus status) override {
        std::lock_guard lock(mutex_);
        if (status.state == DriverState::stopped) {
            stopped_ = true;  // keep what it reached before stop()
            return;
        }
        latest_ = std::move(status);
    }

    bool settled() const {
        std::lock_guard lock(mutex_);
        return latest_.state == DriverState::connected || latest_.state == DriverState::disconnected;
    }
    bool stopped() const {
        std::lock_guard lock(mutex_);
        return stopped_;
    }
    DriverStatus latest() const {
        std::lock_guard lock(mutex_);
        return latest_;
    }

private:
    mutable std::mutex mutex_;
    DriverStatus latest_;
    bool stopped_ = false;
};

// Runs the loop's handlers until `done` holds or `limit` is over. The loop is looked at every
// few milliseconds, for a driver that reports from its own thread.
template <typename Condition>
void run_until(boost::asio::io_context& loop, std::chrono::steady_clock::time_point limit, Condition done) {
    auto busy = boost::asio::make_work_guard(loop);
    while (!done() && std::chrono::steady_clock::now() < limit)
        loop.run_one_for(std::chrono::milliseconds(10));
}

// How long a stopping driver may take to let go of its phone system (a SIP unregistration, a
// managed baresip's exit) before the trial ends anyway.
constexpr std::chrono::seconds release_limit{5};

}  // namespace

Result<DriverTrial> try_driver(const Config& config, std::span<const DriverFactory> drivers,
                       std::chrono::milliseconds timeout) {
    // In this order: the driver's state (timers, sockets) goes before the loop it lives on.
    boost::asio::io_context loop{1};
    StatusWatcher watcher;
    auto created = create_driver(config, drivers);
    if (!created) return fail(std::move(created.error()));
    auto& driver = *created;
    driver->start(loop, watcher);
    run_until(loop, std::chrono::steady_clock::now() + timeout, [&] { return watcher.settled(); });
    DriverTrial trial{watcher.latest(), !watcher.settled()};
    driver->stop();
    run_until(loop, std::chrono::steady_clock::now() + release_limit, [&] { return watcher.stopped(); });
    return trial;
}

}  // namespace cti
