// `limits.max_unauthenticated`: the places for connections nobody knows yet. Every accepted
// connection takes one until its first HTTP request has arrived in full (and again while kept
// alive, waiting for its next one), and a WebSocket of
// another origin keeps one until it authenticates. These places are apart from
// `limits.max_connections`, so sockets that trickle a request in byte by byte, or pages that never
// authenticate, cannot fill the slots the adapter's own page, the command line and paired pages
// need.
//
// The pool never refuses a newcomer (its request could be the command line's): when it is full,
// a member is evicted instead (HTTP 503, or WebSocket 1013): the one that has waited longest of
// the group with the most members. A WebSocket's group is its origin, a connection before its
// request has none (""), so a flood of one origin's pages, or of trickling sockets, evicts its
// own members and not the page of another origin that is about to authenticate. Pages
// waiting for the user to approve their pairing are not evicted; there are few of them
// (`pairing.max_pending`, `pairing.max_pending_per_origin`) and they are cut by the pairing's own
// timeout. Everything else here is cut by `limits.request_timeout_ms` or
// `limits.auth_timeout_ms`, so the oldest is the one closest to being cut anyway.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>

#include "net/preauth_member.hpp"

namespace cti {

class PreAuthPool {
    struct State;

public:
    // A place in the pool; left when destroyed or left.
    class Ticket {
    public:
        Ticket() = default;
        Ticket(Ticket&& other) noexcept = default;
        Ticket& operator=(Ticket&& other) noexcept;
        Ticket(const Ticket&) = delete;
        Ticket& operator=(const Ticket&) = delete;
        ~Ticket() { leave(); }

        explicit operator bool() const { return state_ != nullptr; }
        void leave();
        // The connection goes on as another object (a TLS connection's HttpSession).
        void hand_over(std::weak_ptr<PreAuthMember> member);
        // While waiting for the user's pairing decision a page is not evicted.
        void set_waiting_for_pairing(bool waiting);

    private:
        friend class PreAuthPool;
        Ticket(std::shared_ptr<State> state, std::uint64_t id) : state_(std::move(state)), id_(id) {}
        // Shared, so a session destroyed after the listener's context still leaves safely.
        std::shared_ptr<State> state_;
        std::uint64_t id_ = 0;
    };

    explicit PreAuthPool(std::size_t capacity);

    // Takes a place for `member` of `group`, evicting a member when full (see above).
    Ticket enter(std::weak_ptr<PreAuthMember> member, std::string group = {});
    std::size_t size() const;
    std::size_t capacity() const { return capacity_; }

private:
    std::size_t capacity_;
    std::shared_ptr<State> state_;
};

}  // namespace cti
