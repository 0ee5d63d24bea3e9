// Numbers, encodes and remembers events.
//
// Each event is encoded exactly once; the resulting frame is shared by every client's send
// queue and kept in a bounded replay buffer for clients that reconnect and `resume`.
// Not thread-safe: the core uses it from its strand only.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "core/page_event.hpp"
#include "protocol/messages.hpp"

namespace cti {

class EventLog {
public:
    EventLog(std::string epoch, std::size_t replay_capacity);

    protocol::Frame append(const PageEvent& event);

    const std::string& epoch() const { return epoch_; }
    std::uint64_t last_seq() const { return last_seq_; }

    // Every frame after `after_seq`, oldest first; nullopt when some are no longer kept
    // or `after_seq` lies in the future.
    std::optional<std::vector<protocol::Frame>> since(std::uint64_t after_seq) const;

private:
    std::string epoch_;
    std::size_t capacity_;
    std::uint64_t last_seq_ = 0;
    std::deque<protocol::Frame> replay_;  // frames last_seq_-size+1 .. last_seq_
};

}  // namespace cti
