#include "net/connection_slots.hpp"

#include <utility>

namespace cti {

ConnectionSlots::Slot::Slot(std::shared_ptr<std::atomic<std::size_t>> open)
    : open_(std::move(open)) {}

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

std::optional<ConnectionSlots::Slot> ConnectionSlots::try_occupy(bool own_origin) {
    const auto limit = max_ + (own_origin ? reserved_ : 0);
    // Check and count in one step: sessions on other strands take slots at the same time.
    auto open = open_->load();
    do {
        if (open >= limit) return std::nullopt;
    } while (!open_->compare_exchange_weak(open, open + 1));
    return Slot(open_);
}

}  // namespace cti
