#include "call_book.hpp"

#include <algorithm>

#include "bench_clock.hpp"

namespace cti::bench {

CallBook::CallBook(std::size_t calls, std::size_t clients)
    : calls_(calls),
      clients_(clients),
      sent_ns_(new std::atomic<std::int64_t>[calls]()),
      arrivals_(new std::atomic<std::uint32_t>[calls]()),
      logged_(new std::atomic<std::uint32_t>[calls]()),
      arrival_ns_(calls * clients, 0),
      first_event_ns_(calls * clients, 0) {}

void CallBook::mark_sent(std::size_t call) {
    if (call < calls_) sent_ns_[call].store(now_ns(), std::memory_order_release);
}

void CallBook::record_arrival(std::size_t call, std::size_t client, std::int64_t at_ns) {
    if (call >= calls_ || client >= clients_) return;
    auto& slot = arrival_ns_[call * clients_ + client];
    if (slot != 0) return;  // each slot belongs to one client, so only that client writes it
    slot = at_ns;
    if (arrivals_[call].fetch_add(1, std::memory_order_acq_rel) + 1 == clients_) call_complete();
}

void CallBook::record_first_event(std::size_t call, std::size_t client, std::int64_t at_ns) {
    if (call >= calls_ || client >= clients_) return;
    auto& slot = first_event_ns_[call * clients_ + client];  // written by that client only
    if (slot == 0) slot = at_ns;
}

void CallBook::record_logged(std::size_t call) {
    if (call >= calls_) return;
    if (logged_[call].fetch_add(1, std::memory_order_acq_rel) + 1 != clients_) return;
    std::lock_guard lock(mutex_);
    changed_.notify_all();
}

void CallBook::call_complete() {
    complete_.fetch_add(1, std::memory_order_acq_rel);
    std::lock_guard lock(mutex_);  // pairs with the waiters' predicate check
    changed_.notify_all();
}

bool CallBook::wait_popped(std::size_t call, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] {
        return arrivals_[call].load(std::memory_order_acquire) >= clients_;
    });
}

bool CallBook::wait_logged(std::size_t call, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] {
        return logged_[call].load(std::memory_order_acquire) >= clients_;
    });
}

bool CallBook::wait_many_popped(std::size_t count, std::chrono::milliseconds stall) {
    std::unique_lock lock(mutex_);
    for (;;) {
        const auto before = complete_.load(std::memory_order_acquire);
        if (changed_.wait_for(lock, stall, [&] { return complete_.load(std::memory_order_acquire) >= count; }))
            return true;
        if (complete_.load(std::memory_order_acquire) == before) return false;
    }
}

std::vector<std::int64_t> CallBook::latencies() const { return since_sent(arrival_ns_); }

std::vector<std::int64_t> CallBook::first_event_latencies() const { return since_sent(first_event_ns_); }

std::vector<std::int64_t> CallBook::since_sent(const std::vector<std::int64_t>& arrivals) const {
    std::vector<std::int64_t> result;
    result.reserve(arrivals.size());
    for (std::size_t call = 0; call < calls_; ++call) {
        const auto sent = sent_ns_[call].load(std::memory_order_acquire);
        for (std::size_t client = 0; client < clients_; ++client)
            if (const auto at = arrivals[call * clients_ + client]; at != 0 && sent != 0) result.push_back(at - sent);
    }
    return result;
}

std::size_t CallBook::missing_pops() const {
    return static_cast<std::size_t>(std::count(arrival_ns_.begin(), arrival_ns_.end(), 0));
}

std::int64_t CallBook::first_sent_ns() const {
    return calls_ == 0 ? 0 : sent_ns_[0].load(std::memory_order_acquire);
}

std::int64_t CallBook::last_arrival_ns() const {
    return arrival_ns_.empty() ? 0 : *std::max_element(arrival_ns_.begin(), arrival_ns_.end());
}

}  // namespace cti::bench
