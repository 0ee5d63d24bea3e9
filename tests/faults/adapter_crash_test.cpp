// The adapter itself dies: SIGKILL (no handler runs) right after a call ended and while another
// one rings, then a start on the same data folder. Nothing the agent has not saved may be lost:
// the journal is intact, both calls are offered as pending call logs, and a page that resumes
// with the dead run's epoch is told to start over (resync) instead of waiting for events that
// will never come.
#include <catch2/catch.hpp>

#include <set>

#include "faults/journal_rows.hpp"
#include "support/adapter_process.hpp"
#include "support/temp_dir.hpp"
#include "support/ws_client.hpp"

namespace cti::test {
namespace {

using nlohmann::json;

// Rings until something ends it (no ring timeout). Missed calls wait for a wrap-up too, so
// every call of these tests is pending until a page saves it.
const json config = {{"simulator", {{"ring_timeout_ms", 0}}}, {"agent", {{"wrap_up_unanswered", true}}}};

std::string ring(WsClient& page, const std::string& from, const std::string& name) {
    auto result = page.command({{"type", "simulate"}, {"action", "incoming"}, {"from", from}, {"name", name}});
    REQUIRE(result["ok"] == true);
    return result["data"]["call_id"].get<std::string>();
}

// What the last run left behind, as the page of the last run saw it.
struct KilledRun {
    std::string epoch;
    std::uint64_t last_seq = 0;
    std::string ended_call;    // the caller gave up; killed right after its call.ended
    std::string ringing_call;  // still ringing when the adapter died
};

KilledRun kill_after_a_call_ended_while_another_rings(const TempDir& folder) {
    AdapterProcess adapter(folder.path, config);
    WsClient page(adapter.port());
    KilledRun run;
    run.epoch = page.hello()["epoch"].get<std::string>();
    run.ended_call = ring(page, "+14155550101", "Gave Up");
    run.ringing_call = ring(page, "+14155550102", "Still Ringing");
    page.command({{"type", "simulate"}, {"action", "remote_hangup"}, {"call_id", run.ended_call}});
    const auto ended = page.event_named("call.ended");
    REQUIRE(ended["call"]["id"] == run.ended_call);
    run.last_seq = ended["seq"].get<std::uint64_t>();
    adapter.kill_now();  // before the page can acknowledge anything, maybe before call_log went out
    return run;
}

std::map<std::string, std::string> pending_reasons(const json& call_logs) {
    std::map<std::string, std::string> reasons;
    for (const auto& log : call_logs) reasons[log["log_id"].get<std::string>()] = log["end_reason"].get<std::string>();
    return reasons;
}

}  // namespace

TEST_CASE("adapter killed right after a call ended and while another rang: both are logged, a resuming page gets a resync",
          "[faults][journal]") {
    TempDir folder;
    const auto killed = kill_after_a_call_ended_while_another_rings(folder);
    {
        const auto journal = read_journal(folder.path / "calls.sqlite3");
        CHECK(journal.integrity == "ok");
        // The ringing call is not logged yet: it is kept as open, for the next start to log.
        CHECK(journal.logs.count(killed.ringing_call) == 0);
        CHECK(journal.open_calls >= 1);
    }

    AdapterProcess restarted(folder.path, config);
    WsClient page(restarted.port());
    CHECK(page.hello()["epoch"] != killed.epoch);
    // cti.js after a reconnect: resume from the last event it applied, in the run it knew.
    auto resumed = page.command({{"type", "resume"}, {"epoch", killed.epoch}, {"after_seq", killed.last_seq}});
    CHECK(resumed["data"] == json{{"replayed", 0}, {"resync", true}});
    // Live events of the new run may precede it: the first snapshot frame is the resync.
    json resync;
    do resync = page.next_frame(); while (resync["type"] != "snapshot");
    CHECK(resync["resync"] == true);
    CHECK(resync["calls"].empty());  // nothing rings in the new run

    const auto reasons = pending_reasons(resync["call_logs"]);
    REQUIRE(reasons.size() == 2);
    // Killed right after its call.ended: journaled as missed, or, if the kill came before the
    // write, still kept as open and logged now as lost. Never gone.
    REQUIRE(reasons.count(killed.ended_call) == 1);
    const std::set<std::string> either{"missed", "driver_lost"};
    CHECK(either.count(reasons.at(killed.ended_call)) == 1);
    // The call that was ringing is logged by this start as ended with the lost run
    // (docs/PROTOCOL.md, section 3.3).
    REQUIRE(reasons.count(killed.ringing_call) == 1);
    CHECK(reasons.at(killed.ringing_call) == "driver_lost");

    SECTION("a saved log stays saved across the next kill, the other is offered again") {
        auto saved = page.command({{"type", "save_log"}, {"log_id", killed.ended_call}, {"disposition", "callback"}});
        REQUIRE(saved["ok"] == true);
        restarted.kill_now();
        AdapterProcess again(folder.path, config);
        WsClient next(again.port());
        CHECK(pending_reasons(next.snapshot()["call_logs"]) ==
              std::map<std::string, std::string>{{killed.ringing_call, "driver_lost"}});
        REQUIRE(again.terminate() == 0);
        const auto journal = read_journal(folder.path / "calls.sqlite3");
        CHECK(journal.integrity == "ok");
        CHECK(journal.logs.size() == 2);
        CHECK(journal.logs.at(killed.ended_call).acknowledged);
        CHECK_FALSE(journal.logs.at(killed.ringing_call).acknowledged);
        CHECK(journal.open_calls == 0);
    }
}

TEST_CASE("adapter killed the moment a simulated call's result arrives: the call is already in the journal",
          "[faults][journal]") {
    TempDir folder;
    std::string call_id;
    {
        AdapterProcess adapter(folder.path, config);
        WsClient page(adapter.port());
        call_id = ring(page, "+14155550103", "Just Rang");
        adapter.kill_now();
    }
    CHECK(read_journal(folder.path / "calls.sqlite3").open_calls == 1);
    AdapterProcess restarted(folder.path, config);
    WsClient page(restarted.port());
    CHECK(pending_reasons(page.snapshot()["call_logs"]) == std::map<std::string, std::string>{{call_id, "driver_lost"}});
}

}  // namespace cti::test
