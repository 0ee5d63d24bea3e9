#include "loop/loop_driver.hpp"

#include <utility>

namespace cti::drivers {

LoopDriver::~LoopDriver() {
    if (!line_) return;
    stop();
    line_->detach();
}

void LoopDriver::start(boost::asio::io_context& loop, DriverEvents& events) {
    line_ = make_line(loop, events);
    enter(line_->strand(), [line = line_] { line->begin(); });
}

// Called on the loop's thread, never from inside the line's own code (the core does not call a
// driver from inside a report or an answer), so the line stops before this returns.
void LoopDriver::stop() {
    if (!line_ || std::exchange(stopped_, true)) return;
    line_->stop();
}

void LoopDriver::execute(DriverCommand command, CommandDone done) {
    if (!line_ || stopped_)
        return done(fail(ErrorKind::unavailable, "the driver is not running"));
    // An answer after `stopped`, or once this object is gone, would reach a core that no longer
    // waits for it (or no longer exists): it is dropped.
    auto guarded = [line = std::weak_ptr<DriverLine>(line_), done = std::move(done)](CommandOutcome outcome) {
        auto alive = line.lock();
        if (alive && !alive->finished()) done(std::move(outcome));
    };
    enter(line_->strand(), [line = line_, command = std::move(command), done = std::move(guarded)]() mutable {
        line->execute(std::move(command), std::move(done));
    });
}

}  // namespace cti::drivers
