#include "loop/driver_line.hpp"

#include <utility>

#include <boost/asio/strand.hpp>

namespace cti::drivers {

DriverLine::DriverLine(boost::asio::io_context& loop, DriverEvents& events)
    : strand_(boost::asio::make_strand(loop)), events_(&events) {}

void DriverLine::send_report(CallReport report) {
    if (events_) events_->on_call(std::move(report));
}

void DriverLine::send_status(DriverStatus status) {
    auto* events = events_;
    if (!events) return;
    if (status.state == DriverState::stopped) events_ = nullptr;
    events->on_status(std::move(status));
}

}  // namespace cti::drivers
