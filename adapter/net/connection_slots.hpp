// How many known connections are open, against `limits.max_connections`: a connection takes a
// Slot once a request has arrived in full and found a free one (before that, and between
// kept-alive requests, it holds a place in the PreAuthPool), and keeps it while the request is
// answered or, after an upgrade, until the WebSocket ends; a connection that
// finds none is refused with 503 before any upgrade. `limits.reserved_connections` more are
// kept for the adapter's own origin and requests without Origin (its page, the command line),
// so they still get in when pages fill the limit.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <optional>

namespace cti {

class ConnectionSlots {
public:
    // One open connection; releases its slot when destroyed or released.
    class Slot {
    public:
        Slot() = default;
        explicit Slot(std::shared_ptr<std::atomic<std::size_t>> open);
        Slot(Slot&& other) noexcept = default;
        Slot& operator=(Slot&& other) noexcept;
        Slot(const Slot&) = delete;
        Slot& operator=(const Slot&) = delete;
        ~Slot() { release(); }
        void release();

    private:
        // Shared, so a session destroyed after the listener's context still counts down safely.
        std::shared_ptr<std::atomic<std::size_t>> open_;
    };

    ConnectionSlots(std::size_t max_connections, std::size_t reserved_for_own_origin)
        : max_(max_connections), reserved_(reserved_for_own_origin) {}

    // A slot when one is free; `own_origin` may also take one of the reserved ones.
    std::optional<Slot> try_occupy(bool own_origin);
    // Whether try_occupy would find one now (a page of another origin takes its slot only once
    // it has authenticated, and is refused before the upgrade when there is none).
    bool has_room(bool own_origin) const { return open_->load() < max_ + (own_origin ? reserved_ : 0); }
    std::size_t open() const { return open_->load(); }
    std::size_t max() const { return max_; }

private:
    std::size_t max_;
    std::size_t reserved_;
    std::shared_ptr<std::atomic<std::size_t>> open_ = std::make_shared<std::atomic<std::size_t>>(0);
};

}  // namespace cti
