// A thousand connections and handshakes at once, while a legitimate page keeps working: it must
// get every event, in order, during the flood, and the adapter must come out of it serving.
// Flood connections may be accepted or refused (HTTP 503/429 from the connection and handshake
// limits); any other answer, or a handshake dropped without one, fails the test.
#include <catch2/catch.hpp>

#include "faults/connection_flood.hpp"
#include "faults/simulated_calls.hpp"
#include "support/adapter_process.hpp"
#include "support/temp_dir.hpp"
#include "support/ws_client.hpp"

namespace cti::test {
namespace {

using nlohmann::json;

constexpr std::size_t flood_size = 1000;

}  // namespace

TEST_CASE("a flood of 1,000 connections and handshakes: the page already connected gets every event in order",
          "[faults][flood]") {
    TempDir folder;
    // Silent connections are cut after 2 s, so the flood ends within the test. The page places
    // calls as fast as it can for as long as the flood lasts: its command rate is not limited
    // here (tests/integration/limits_test.cpp covers that limit).
    AdapterProcess adapter(folder.path, {{"limits", {{"handshake_timeout_ms", 2000}, {"commands_per_minute", 0}}},
                                         {"simulator", {{"ring_timeout_ms", 0}}}});
    WsClient page(adapter.port());
    std::uint64_t last_seq = page.snapshot()["seq"];

    std::size_t calls_during_flood = 0;
    FloodTally tally;
    {
        ConnectionFlood flood(adapter.port(), flood_size);
        // Calls go on for as long as the flood lasts (and at least a few of them).
        while (!flood.finished() || calls_during_flood < 10) {
            ring_and_give_up(page, last_seq, 30s);
            ++calls_during_flood;
        }
        tally = flood.wait(std::chrono::seconds(60));
    }
    INFO("flood: " << tally.upgraded << " upgraded, " << tally.refused << " refused, " << tally.other_answer
                   << " other answers (" << tally.first_other << "), " << tally.closed_unanswered
                   << " closed unanswered, " << tally.silent_cut << " silent ones cut, " << tally.connect_failed
                   << " connects failed; " << calls_during_flood << " calls meanwhile");
    CHECK(tally.connect_failed == 0);
    CHECK(tally.upgraded + tally.refused == tally.handshakes);
    CHECK(tally.other_answer == 0);
    CHECK(tally.closed_unanswered == 0);
    // Every connection had its outcome: a page, a refusal, or (sending nothing) cut.
    CHECK(tally.upgraded + tally.refused + tally.silent_cut == flood_size);

    // The adapter came out of it: still running, serving pages and HTTP, and the page's stream
    // goes on in order.
    CHECK_FALSE(adapter.process().wait(std::chrono::milliseconds(0)).has_value());
    ring_and_give_up(page, last_seq, 30s);
    CHECK(http_request(adapter.port(), "GET", "/health").status == 200);
    WsClient newcomer(adapter.port());
    CHECK(newcomer.snapshot()["seq"] == last_seq);
    CHECK(adapter.terminate() == 0);
}

}  // namespace cti::test
