// The pre-authentication pool (limits.max_unauthenticated, docs/SECURITY.md): a newcomer is never
// refused; when the pool is full the longest-waiting member of the biggest group makes way, and
// pages waiting for the user's pairing decision are spared.
#include <catch2/catch.hpp>

#include <memory>
#include <vector>

#include "net/preauth_pool.hpp"

namespace cti {
namespace {

struct Member final : PreAuthMember {
    void evict() override { evicted = true; }
    bool evicted = false;
};

struct Entered {
    std::shared_ptr<Member> member = std::make_shared<Member>();
    PreAuthPool::Ticket ticket;
};

Entered enter(PreAuthPool& pool, const std::string& group = {}) {
    Entered entered;
    entered.ticket = pool.enter(entered.member, group);
    return entered;
}

}  // namespace

TEST_CASE("preauth pool: when full, the oldest makes way, and a ticket left frees its place", "[preauth]") {
    PreAuthPool pool(2);
    auto first = enter(pool);
    auto second = enter(pool);
    auto third = enter(pool);
    CHECK(first.member->evicted);
    CHECK(!second.member->evicted);
    CHECK(pool.size() == 2);
    second.ticket.leave();
    auto fourth = enter(pool);
    CHECK(!third.member->evicted);
    CHECK(pool.size() == 2);
}

TEST_CASE("preauth pool: a flood of one origin evicts its own pages, not another origin's", "[preauth]") {
    PreAuthPool pool(4);
    auto other = enter(pool, "https://other.example.com");  // the oldest of all
    std::vector<Entered> flood;
    for (int i = 0; i < 10; ++i) flood.push_back(enter(pool, "https://crm.example.com"));
    CHECK(!other.member->evicted);
    std::size_t evicted = 0;
    for (const auto& entered : flood) evicted += entered.member->evicted ? 1U : 0U;
    CHECK(evicted == 7);
    CHECK(pool.size() == 4);
}

TEST_CASE("preauth pool: a page waiting for the user's pairing decision is not evicted", "[preauth]") {
    PreAuthPool pool(2);
    auto waiting = enter(pool, "https://crm.example.com");
    waiting.ticket.set_waiting_for_pairing(true);
    auto second = enter(pool, "https://crm.example.com");
    auto third = enter(pool, "https://crm.example.com");
    CHECK(!waiting.member->evicted);
    CHECK(second.member->evicted);
    CHECK(!third.member->evicted);
}

}  // namespace cti
