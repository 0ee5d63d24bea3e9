// Calls on the simulator, driven and read by one page: the steady stream of events the fault
// tests watch while something else goes wrong.
#pragma once

#include <catch2/catch.hpp>

#include "support/ws_client.hpp"

namespace cti::test {

// One call rung and given up through `page`; returns once `page` has read the call's four events
// (call.ringing, screen_pop, call.ended, call_log), each required to be the next `seq`.
inline void ring_and_give_up(WsClient& page, std::uint64_t& last_seq, std::chrono::milliseconds timeout = 5s) {
    auto id = page.command({{"type", "simulate"}, {"action", "incoming"}, {"from", "+14155550100"}}, timeout)["data"]["call_id"];
    page.command({{"type", "simulate"}, {"action", "remote_hangup"}, {"call_id", id}}, timeout);
    for (int event = 0; event < 4; ++event) REQUIRE(page.next_event(timeout)["seq"] == ++last_seq);
}

}  // namespace cti::test
