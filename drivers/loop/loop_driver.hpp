// The Driver every built-in driver is. Until start() it holds only its settings; start() makes
// its line (the state on the adapter's loop, DriverLine) and every later call goes to the line
// on its strand. Destroying it stops the line if needed and detaches it; the line itself lives
// on as long as a handler of one of its operations holds it.
#pragma once

#include <memory>

#include "cti/driver.hpp"
#include "loop/driver_line.hpp"

namespace cti::drivers {

class LoopDriver : public Driver {
public:
    ~LoopDriver() override;

    void start(boost::asio::io_context& loop, DriverEvents& events) final;
    void stop() final;
    void execute(DriverCommand command, CommandDone done) final;

protected:
    // The driver's state on the loop, made once, in start().
    virtual std::shared_ptr<DriverLine> make_line(boost::asio::io_context& loop, DriverEvents& events) = 0;

private:
    std::shared_ptr<DriverLine> line_;
    bool stopped_ = false;
};

}  // namespace cti::drivers
