// The state of a started driver: it lives on a strand of the adapter's loop, and the handlers of
// its operations own it (each holds a shared_ptr taken when the operation starts), so no
// handler outlives what it touches, whatever becomes of the Driver object (include/cti/driver.hpp,
// threading rule).
#pragma once

#include <memory>

#include <boost/asio/io_context.hpp>

#include "cti/driver.hpp"
#include "strand_entry.hpp"

namespace cti::drivers {

class DriverLine {
public:
    DriverLine(boost::asio::io_context& loop, DriverEvents& events);
    virtual ~DriverLine() = default;
    DriverLine(const DriverLine&) = delete;
    DriverLine& operator=(const DriverLine&) = delete;

    // On the strand, once, right after start(): start watching the phone system.
    virtual void begin() = 0;
    // On the strand.
    virtual void execute(DriverCommand command, CommandDone done) = 0;
    // On the loop's thread, once: cancel every operation, answer every command still waiting,
    // and report `stopped` now, or when what has to finish first has ended.
    virtual void stop() = 0;

    const Strand& strand() const { return strand_; }
    // The Driver object is going: the core is not called any more.
    void detach() { events_ = nullptr; }
    // `stopped` has been reported, or the line is detached: nothing reaches the core any more.
    bool finished() const { return events_ == nullptr; }

protected:
    // To the core, until `stopped` (the last thing reported) or detach().
    void send_report(CallReport report);
    void send_status(DriverStatus status);

    Strand strand_;

private:
    DriverEvents* events_;
};

}  // namespace cti::drivers
