#include "net/connection_slots.hpp"

#include <utility>

namespace cti {

ConnectionSlots::Slot::Slot(std::shared_ptr<std::atomic<std::size_t>> open)
    : open_(std::move(open)) {
    ++*open_;
}

ConnectionSlots::Slot& ConnectionSlots::Slot::operator=(Slot&& other) noexcept {
    if (this != &other) {
        release();
        open_ = std::move(other.open_);
    }
    return *this;
}

void ConnectionSlots::Slot::release() {
    if (auto open = std::exchange(open_, nullptr)) --*open;
}

ConnectionSlots::Slot ConnectionSlots::occupy() { return Slot(open_); }

bool ConnectionSlots::admits(bool reserved) const {
    return open_->load() <= max_ + (reserved ? 1 : 0);
}

}  // namespace cti
