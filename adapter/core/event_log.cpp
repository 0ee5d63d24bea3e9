#include "core/event_log.hpp"

namespace cti {

EventLog::EventLog(std::string epoch, std::size_t replay_capacity)
    : epoch_(std::move(epoch)), capacity_(replay_capacity) {}

protocol::Frame EventLog::append(const PageEvent& event) {
    auto frame = protocol::encode_event(++last_seq_, epoch_, event);
    replay_.push_back(frame);
    if (replay_.size() > capacity_) replay_.pop_front();
    return frame;
}

std::optional<std::vector<protocol::Frame>> EventLog::since(std::uint64_t after_seq) const {
    if (after_seq > last_seq_) return std::nullopt;
    const std::uint64_t oldest_kept = last_seq_ - replay_.size() + 1;
    if (after_seq + 1 < oldest_kept) return std::nullopt;
    const auto skip = static_cast<std::ptrdiff_t>(after_seq + 1 - oldest_kept);
    return std::vector<protocol::Frame>(replay_.begin() + skip, replay_.end());
}

}  // namespace cti
