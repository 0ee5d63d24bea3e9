#include "net/preauth_pool.hpp"

#include <algorithm>
#include <map>
#include <string>
#include <string_view>
#include <utility>

namespace cti {

struct PreAuthPool::State {
    struct Member {
        std::uint64_t id;
        std::weak_ptr<PreAuthMember> member;
        std::string group;
        bool waiting_for_pairing = false;
    };

    mutable std::mutex mutex;  // sessions enter and leave from their own strands
    std::list<Member> members;  // oldest first
    std::uint64_t next_id = 1;

    std::list<Member>::iterator find(std::uint64_t id) {
        return std::ranges::find_if(members, [id](const Member& entry) { return entry.id == id; });
    }

    // The oldest evictable member of the group with the most evictable members (of those
    // equally many, the group whose oldest waited longest): a flood evicts its own.
    std::list<Member>::iterator to_evict() {
        std::map<std::string_view, std::size_t> counts;
        for (const auto& entry : members)
            if (!entry.waiting_for_pairing) ++counts[entry.group];
        std::size_t most = 0;
        for (const auto& [group, count] : counts) most = std::max(most, count);
        return std::ranges::find_if(members, [&](const Member& entry) {
            return !entry.waiting_for_pairing && counts[entry.group] == most;
        });
    }
};

PreAuthPool::PreAuthPool(std::size_t capacity) : capacity_(capacity), state_(std::make_shared<State>()) {}

PreAuthPool::Ticket PreAuthPool::enter(std::weak_ptr<PreAuthMember> member, std::string group) {
    std::shared_ptr<PreAuthMember> evicted;
    std::uint64_t id = 0;
    {
        std::lock_guard lock(state_->mutex);
        if (state_->members.size() >= capacity_) {
            auto oldest = state_->to_evict();
            if (oldest != state_->members.end()) {
                evicted = oldest->member.lock();
                state_->members.erase(oldest);  // its place is free now, whatever it does next
            }
        }
        id = state_->next_id++;
        state_->members.push_back({id, std::move(member), std::move(group)});
    }
    // Outside the lock: evict() posts onto the member's strand, where it may leave the pool.
    if (evicted) evicted->evict();
    return Ticket(state_, id);
}

std::size_t PreAuthPool::size() const {
    std::lock_guard lock(state_->mutex);
    return state_->members.size();
}

PreAuthPool::Ticket& PreAuthPool::Ticket::operator=(Ticket&& other) noexcept {
    if (this != &other) {
        leave();
        state_ = std::exchange(other.state_, nullptr);
        id_ = other.id_;
    }
    return *this;
}

void PreAuthPool::Ticket::leave() {
    auto state = std::exchange(state_, nullptr);
    if (!state) return;
    std::lock_guard lock(state->mutex);
    if (auto found = state->find(id_); found != state->members.end()) state->members.erase(found);
}

void PreAuthPool::Ticket::hand_over(std::weak_ptr<PreAuthMember> member) {
    if (!state_) return;
    std::lock_guard lock(state_->mutex);
    if (auto found = state_->find(id_); found != state_->members.end()) found->member = std::move(member);
}

void PreAuthPool::Ticket::set_waiting_for_pairing(bool waiting) {
    if (!state_) return;
    std::lock_guard lock(state_->mutex);
    if (auto found = state_->find(id_); found != state_->members.end()) found->waiting_for_pairing = waiting;
}

}  // namespace cti
