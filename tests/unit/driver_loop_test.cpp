// The loop every driver runs on (drivers/loop/, include/cti/driver.hpp threading rule): work
// entering a free strand from a handler of the loop runs at once (no hop), work entering a
// strand from inside itself waits its turn (no re-entry), and a driver's state outlives the
// Driver object for as long as its handlers hold it.
#include <catch2/catch.hpp>

#include <memory>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "loop/driver_line.hpp"
#include "loop/loop_driver.hpp"
#include "strand_entry.hpp"

using namespace cti;
namespace net = boost::asio;

TEST_CASE("work entering a free strand from a handler of the loop runs at once", "[driver_loop]") {
    net::io_context loop{1};
    drivers::Strand driver(net::make_strand(loop));
    drivers::Strand core(net::make_strand(loop));
    std::vector<int> order;
    drivers::enter(driver, [&] {
        drivers::enter(core, [&] { order.push_back(1); });
        order.push_back(2);  // after the core's step: it ran on this stack
    });
    loop.run();
    CHECK(order == std::vector<int>{1, 2});
}

TEST_CASE("work entering a strand from inside itself runs after the code that sent it", "[driver_loop]") {
    net::io_context loop{1};
    drivers::Strand core(net::make_strand(loop));
    drivers::Strand driver(net::make_strand(loop));
    std::vector<int> order;
    net::post(core, [&] {
        // The core calls the driver, which answers at once: the answer must not run inside
        // the core's code, and must come before whatever the core queued after it.
        drivers::enter(driver, [&] { drivers::enter(core, [&] { order.push_back(2); }); });
        order.push_back(1);
        net::post(core, [&] { order.push_back(3); });
    });
    loop.run();
    CHECK(order == std::vector<int>{1, 2, 3});
}

namespace {

struct Recorder final : DriverEvents {
    std::vector<DriverStatus> statuses;
    std::vector<CallReport> calls;
    void on_call(CallReport report) override { calls.push_back(std::move(report)); }
    void on_status(DriverStatus status) override { statuses.push_back(std::move(status)); }
};

// A line whose one operation (a long timer) is still pending when it is stopped.
class TimerLine final : public drivers::DriverLine, public std::enable_shared_from_this<TimerLine> {
public:
    TimerLine(net::io_context& loop, DriverEvents& events) : DriverLine(loop, events), timer_(strand_) {}
    void begin() override {
        send_status({DriverState::connected, "ready"});
        timer_.expires_after(std::chrono::hours(1));
        timer_.async_wait([self = shared_from_this()](boost::system::error_code) {
            self->send_report({});  // dropped: the line has stopped
        });
    }
    void execute(DriverCommand, CommandDone done) override { done(CommandReply{}); }
    void stop() override {
        timer_.cancel();
        send_status({DriverState::stopped, "stopped"});
        send_status({DriverState::connected, "too late"});  // dropped: `stopped` is the last
    }
private:
    net::steady_timer timer_;
};

class TimerDriver final : public drivers::LoopDriver {
public:
    std::string_view name() const override { return "timer"; }
    Capabilities capabilities() const override { return {}; }
    std::weak_ptr<TimerLine> line;

private:
    std::shared_ptr<drivers::DriverLine> make_line(net::io_context& loop, DriverEvents& events) override {
        auto made = std::make_shared<TimerLine>(loop, events);
        line = made;
        return made;
    }
};

}  // namespace

TEST_CASE("a driver's state outlives the Driver object while a handler holds it", "[driver_loop]") {
    net::io_context loop{1};
    Recorder events;
    auto driver = std::make_unique<TimerDriver>();
    driver->start(loop, events);
    loop.poll();
    REQUIRE(events.statuses.size() == 1);
    CHECK(events.statuses[0].state == DriverState::connected);

    bool answered_at_once = false;
    net::post(loop, [&] {  // as the core does: from a handler of the loop
        bool answered = false;
        driver->execute({}, [&](CommandOutcome outcome) { answered = outcome.has_value(); });
        answered_at_once = answered;  // the line's strand was free: no hop
    });
    loop.poll();
    CHECK(answered_at_once);

    driver->stop();
    auto line = driver->line;
    driver.reset();  // the core may destroy a stopped driver while its handlers are still queued
    CHECK_FALSE(line.expired());
    loop.run();  // the cancelled timer's handler runs, touches only the line, and lets it go
    CHECK(line.expired());
    REQUIRE(events.statuses.size() == 2);
    CHECK(events.statuses[1].state == DriverState::stopped);
    CHECK(events.calls.empty());
}

TEST_CASE("a destroyed driver that was never stopped stops and says nothing more", "[driver_loop]") {
    net::io_context loop{1};
    Recorder events;
    auto driver = std::make_unique<TimerDriver>();
    driver->start(loop, events);
    loop.poll();
    driver.reset();
    loop.run();
    REQUIRE(events.statuses.size() == 2);
    CHECK(events.statuses[1].state == DriverState::stopped);
    CHECK(events.calls.empty());
}
