#include "doctor/driver_trial.hpp"

#include <condition_variable>
#include <mutex>

namespace cti {
namespace {

// Keeps the driver's latest status; drivers report from their own threads.
class StatusWatcher final : public DriverEvents {
public:
    void on_call(CallReport) override {}  // a call that rings during the trial is not doctor's business

    void on_status(DriverStatus status) override {
        {
            std::lock_guard lock(mutex_);
            if (status.state == DriverState::stopped) return;  // keep what it reached before stop()
            latest_ = std::move(status);
        }
        changed_.notify_all();
    }

    DriverTrial wait(std::chrono::milliseconds timeout) {
        std::unique_lock lock(mutex_);
        const bool settled = changed_.wait_for(lock, timeout, [this] {
            return latest_.state == DriverState::connected || latest_.state == DriverState::disconnected;
        });
        return {latest_, !settled};
    }

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    DriverStatus latest_;
};

}  // namespace

DriverTrial try_driver(const Config& config, std::span<const DriverFactory> drivers,
                       std::chrono::milliseconds timeout) {
    auto driver = create_driver(config, drivers);
    StatusWatcher watcher;
    driver->start(watcher);
    auto trial = watcher.wait(timeout);
    driver->stop();
    return trial;
}

}  // namespace cti
