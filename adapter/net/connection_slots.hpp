// How many connections (plain HTTP and WebSocket) are open, against `limits.max_connections`.
// Every accepted socket holds a Slot until its session ends; a connection whose first request
// finds more open connections than the limit is refused with 503 before any upgrade. The
// adapter's own origin (its page, the command line) may use one slot more, so
// `cti-adapter status` still gets through when pages fill the limit.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>

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

    explicit ConnectionSlots(std::size_t max_connections) : max_(max_connections) {}

    Slot occupy();
    // Whether a connection holding a slot may be served; `reserved` for the own origin.
    bool admits(bool reserved) const;
    std::size_t open() const { return open_->load(); }
    std::size_t max() const { return max_; }

private:
    std::size_t max_;
    std::shared_ptr<std::atomic<std::size_t>> open_ = std::make_shared<std::atomic<std::size_t>>(0);
};

}  // namespace cti
