// Call logs that are never lost: journaled when a call ends, offered to every page until one
// acknowledges it, across restarts and crashes.
#include <catch2/catch.hpp>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>

#include <sqlite3.h>

#include "call_log/call_log_journal.hpp"
#include "support/child_process.hpp"
#include "support/fake_driver.hpp"
#include "support/running_adapter.hpp"
#include "support/temp_dir.hpp"
#include "support/ws_client.hpp"

using namespace cti;
using namespace cti::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// A directory whose config keeps the call log across adapter runs.
struct ScratchDir : TempDir {
    std::string config() const {
        return json{{"call_log_file", (path / "calls.sqlite3").string()},
                    {"log_file", (path / "adapter.log").string()}}.dump();
    }
};

// `cti-adapter run --config CONFIG` on a free port: the process and the port it listens on.
std::pair<std::unique_ptr<ChildProcess>, std::uint16_t> start_adapter(const std::string& config) {
    auto process = std::make_unique<ChildProcess>(
        std::vector<std::string>{CTI_ADAPTER_EXE, "run", "--config", config, "--port", "0"});
    auto line = process->wait_for_stdout_line("listening on");
    REQUIRE(line);
    std::smatch match;
    REQUIRE(std::regex_search(*line, match, std::regex(R"(:(\d+)/)")));
    return std::make_pair(std::move(process), static_cast<std::uint16_t>(std::stoi(match[1])));
}

// Another program holding the journal's write lock (as the sqlite3 shell or a backup could):
// the adapter's journal thread waits for it, so its writes are in flight for as long as this
// object lives, for the test to look at the adapter meanwhile.
class JournalWriteLock {
public:
    explicit JournalWriteLock(const fs::path& file) {
        REQUIRE(sqlite3_open(file.string().c_str(), &db_) == SQLITE_OK);
        REQUIRE(sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK);
    }
    ~JournalWriteLock() { release(); }
    JournalWriteLock(const JournalWriteLock&) = delete;
    JournalWriteLock& operator=(const JournalWriteLock&) = delete;

    void release() {
        if (!db_) return;
        sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
        sqlite3_close(db_);
        db_ = nullptr;
    }

private:
    sqlite3* db_ = nullptr;
};

// A simulated call rings (its result comes once the journal keeps the call as up).
std::string ring(WsClient& page, const std::string& from) {
    return page.command({{"type", "simulate"}, {"action", "incoming"}, {"from", from}, {"name", "Ada"}})["data"]["call_id"];
}

void answer_and_hang_up(WsClient& page, const std::string& id) {
    page.command({{"type", "answer"}, {"call_id", id}});
    page.command({{"type", "hangup"}, {"call_id", id}});
}

std::string ring_and_end(WsClient& page, const std::string& from) {
    auto id = ring(page, from);
    answer_and_hang_up(page, id);
    return id;
}

// An adapter whose journal another program locks once a call rings: when the call ends, its
// record is in flight until the lock is released.
struct LockedJournal {
    ScratchDir dir;
    RunningAdapter adapter{dir.config()};
    WsClient page{adapter.port()};
    std::optional<JournalWriteLock> lock;

    std::string end_call() {
        auto id = ring(page, "+14155550123");
        lock.emplace(dir.path / "calls.sqlite3");
        answer_and_hang_up(page, id);
        page.event_named("call.ended");
        return id;
    }
};

}  // namespace

TEST_CASE("an ended call is journaled and pushed as call_log with every field", "[call_log]") {
    RunningAdapter adapter;
    WsClient page(adapter.port());
    CHECK(page.snapshot()["call_logs"] == json::array());
    auto id = ring_and_end(page, "+14155550123");
    auto ended = page.event_named("call.ended");
    auto event = page.next_event();
    REQUIRE(event["name"] == "call_log");
    const auto& log = event["log"];
    CHECK(log["log_id"] == id);
    CHECK(log["call_id"] == id);
    CHECK(log["call_type"] == "inbound");
    CHECK(log["from"]["number"] == "+14155550123");
    CHECK(log["to"]["number"] == "1001");
    CHECK(log["started_at"] == ended["call"]["started_at"]);
    CHECK(log["answered_at"] == ended["call"]["answered_at"]);
    CHECK(log["ended_at"] == ended["call"]["ended_at"]);
    CHECK(log["duration_s"] == 0);
    CHECK(log["end_reason"] == "normal");
    CHECK(log["disposition"].is_null());
    CHECK(log["notes"].is_null());
    CHECK(log["acknowledged"] == false);
}

TEST_CASE("a call log stays pending on every connect until a page saves it", "[call_log]") {
    RunningAdapter adapter;
    std::string id;
    {
        WsClient first(adapter.port());
        id = ring_and_end(first, "+14155550123");
        first.event_named("call_log");
    }
    WsClient second(adapter.port());
    REQUIRE(second.snapshot()["call_logs"].size() == 1);
    CHECK(second.snapshot()["call_logs"][0]["log_id"] == id);

    WsClient watcher(adapter.port());
    auto saved = second.command({{"type", "save_log"}, {"log_id", id}, {"disposition", "Resolved"}, {"notes", "Asked about the invoice."}});
    REQUIRE(saved["ok"] == true);
    CHECK(saved["data"]["log"]["acknowledged"] == true);
    CHECK(saved["data"]["log"]["disposition"] == "Resolved");
    auto broadcast = watcher.event_named("call_log.saved");
    CHECK(broadcast["log"]["log_id"] == id);
    CHECK(broadcast["log"]["notes"] == "Asked about the invoice.");

    WsClient third(adapter.port());
    CHECK(third.snapshot()["call_logs"] == json::array());

    SECTION("save_log errors name the problem") {
        CHECK(third.command({{"type", "save_log"}, {"log_id", "nope"}})["error"]["code"] == "no_such_log");
        CHECK(third.command({{"type", "save_log"}})["error"]["code"] == "bad_request");
        auto too_long = third.command({{"type", "save_log"}, {"log_id", id}, {"disposition", std::string(200, 'x')}});
        CHECK(too_long["error"]["code"] == "bad_request");
        CHECK(too_long["error"]["message"].get<std::string>().find("'disposition'") != std::string::npos);
    }
}

TEST_CASE("history pages through the journal newest first", "[call_log]") {
    RunningAdapter adapter;
    WsClient page(adapter.port());
    std::vector<std::string> ids;
    for (int i = 0; i < 5; ++i) {
        ids.push_back(ring_and_end(page, "+1415555010" + std::to_string(i)));
        page.event_named("call_log");
    }
    auto first = page.command({{"type", "history"}, {"limit", 2}})["data"];
    REQUIRE(first["logs"].size() == 2);
    CHECK(first["logs"][0]["log_id"] == ids[4]);
    CHECK(first["logs"][1]["log_id"] == ids[3]);
    auto second = page.command({{"type", "history"}, {"limit", 2}, {"before", first["next"]}})["data"];
    CHECK(second["logs"][0]["log_id"] == ids[2]);
    auto rest = page.command({{"type", "history"}, {"limit", 10}, {"before", second["next"]}})["data"];
    CHECK(rest["logs"].size() == 1);
    CHECK(rest["next"].is_null());
    CHECK(page.command({{"type", "history"}, {"limit", 0}})["error"]["code"] == "bad_request");
}

TEST_CASE("a call that ended while no page was open is still offered after the adapter restarts", "[call_log]") {
    ScratchDir dir;
    auto driver = std::make_unique<FakeDriver>(Capabilities{Capability::answer, Capability::hangup});
    auto* fake = driver.get();
    // A missed call waits for a wrap-up only where the config asks for it (next test case).
    auto config = json::parse(dir.config());
    config["agent"] = {{"wrap_up_unanswered", true}};
    {
        RunningAdapter adapter(config.dump(), std::move(driver));
        WsClient witness(adapter.port());  // only to know when the call has ended
        fake->emit(offered("a", "+14155550123", "Ada"));
        fake->emit(changed(CallReport::Kind::ended, "a", EndReason::missed));
        CHECK_FALSE(witness.event_named("call_log")["log"]["acknowledged"].get<bool>());
    }
    RunningAdapter restarted(config.dump());
    WsClient page(restarted.port());
    const auto& pending = page.snapshot()["call_logs"];
    REQUIRE(pending.size() == 1);
    CHECK(pending[0]["from"]["number"] == "+14155550123");
    CHECK(pending[0]["end_reason"] == "missed");
}

TEST_CASE("a call that never connected is logged wrapped up: in the history, not waiting for a wrap-up",
          "[call_log]") {
    ScratchDir dir;
    auto driver = std::make_unique<FakeDriver>(Capabilities{Capability::answer, Capability::hangup, Capability::dial});
    auto* fake = driver.get();
    RunningAdapter adapter(dir.config(), std::move(driver));
    WsClient page(adapter.port());
    fake->emit(offered("missed", "+14155550123", "Ada"));
    fake->emit(changed(CallReport::Kind::ended, "missed", EndReason::missed));
    auto missed = page.event_named("call_log")["log"];
    CHECK(missed["acknowledged"] == true);
    CHECK(missed["end_reason"] == "missed");

    // A talked call still waits for its wrap-up.
    fake->emit(offered("talked", "+14155550124", "Bob"));
    fake->emit(changed(CallReport::Kind::connected, "talked"));
    fake->emit(changed(CallReport::Kind::ended, "talked", EndReason::normal));
    CHECK(page.event_named("call_log")["log"]["acknowledged"] == false);

    WsClient later(adapter.port());
    const auto& pending = later.snapshot()["call_logs"];
    REQUIRE(pending.size() == 1);
    CHECK(pending[0]["from"]["number"] == "+14155550124");
    const auto history = later.command({{"type", "history"}, {"limit", 10}})["data"]["logs"];
    REQUIRE(history.size() == 2);
    CHECK(history[1]["log_id"] == missed["log_id"]);
    CHECK(history[1]["acknowledged"] == true);
    CHECK(history[1]["disposition"].is_null());
}

TEST_CASE("a call log survives the adapter being killed with SIGKILL", "[call_log][cli]") {
    ScratchDir dir;
    const auto config = dir.write("config.json", dir.config());
    auto start = [&] { return start_adapter(config); };
    std::string id;
    {
        auto [process, port] = start();
        WsClient page(port);
        id = ring_and_end(page, "+14155550123");
        page.event_named("call_log");  // journaled (fsync) before the event is sent
        process->signal(SIGKILL);
        CHECK(process->wait() == 128 + SIGKILL);
    }
    auto [process, port] = start();
    WsClient page(port);
    REQUIRE(page.snapshot()["call_logs"].size() == 1);
    CHECK(page.snapshot()["call_logs"][0]["log_id"] == id);
    process->signal(SIGTERM);
    CHECK(process->wait() == 0);
}

TEST_CASE("a call still up when the adapter is killed is logged by its next start", "[call_log][cli]") {
    ScratchDir dir;
    const auto config = dir.write("config.json", dir.config());
    auto start = [&] { return start_adapter(config); };
    std::string id;
    {
        auto [process, port] = start();
        WsClient page(port);
        id = page.command({{"type", "simulate"}, {"action", "incoming"}, {"from", "+14155550123"}})["data"]["call_id"];
        page.command({{"type", "answer"}, {"call_id", id}});
        page.event_named("call.connected");
        // The journal answers in order: once `history` has, the call is kept on disk as up.
        REQUIRE(page.command({{"type", "history"}})["ok"] == true);
        process->signal(SIGKILL);  // the call ends with the phone system's process; nothing is logged now
        CHECK(process->wait() == 128 + SIGKILL);
    }
    auto [process, port] = start();
    WsClient page(port);
    const auto& pending = page.snapshot()["call_logs"];
    REQUIRE(pending.size() == 1);
    CHECK(pending[0]["log_id"] == id);
    CHECK(pending[0]["end_reason"] == "driver_lost");
    CHECK(pending[0]["answered_at"].is_string());
    CHECK(pending[0]["from"]["number"] == "+14155550123");
    process->signal(SIGTERM);
    CHECK(process->wait() == 0);

    // Logged once: the next start finds nothing left open.
    auto [again, again_port] = start();
    CHECK(WsClient(again_port).snapshot()["call_logs"].size() == 1);
}

TEST_CASE("a page that connects while a call log is being written gets it once, as its event", "[call_log]") {
    LockedJournal held;
    auto id = held.end_call();

    WsClient second(held.adapter.port());  // the record is not durable yet: not in the snapshot
    CHECK(second.snapshot()["call_logs"] == json::array());
    held.lock->release();
    auto event = second.next_event();
    REQUIRE(event["name"] == "call_log");
    CHECK(event["log"]["log_id"] == id);
    CHECK(event["log"].contains("journaled") == false);
    CHECK(held.page.next_event()["name"] == "call_log");

    WsClient third(held.adapter.port());  // durable now: in the snapshot, once
    REQUIRE(third.snapshot()["call_logs"].size() == 1);
    CHECK(third.snapshot()["call_logs"][0]["log_id"] == id);
}

TEST_CASE("save_log sent before the call log is written waits for it and succeeds", "[call_log]") {
    LockedJournal held;
    auto id = held.end_call();
    auto& page = held.page;
    page.send_text(json{{"v", 1}, {"id", "save-1"}, {"type", "save_log"}, {"log_id", id}, {"disposition", "Sale"}}.dump());
    held.lock->release();

    auto log = page.next_frame();  // first the record, as written
    REQUIRE(log["name"] == "call_log");
    CHECK(log["log"]["acknowledged"] == false);
    auto result = page.next_frame();  // then the acknowledgement, durable
    REQUIRE(result["type"] == "result");
    CHECK(result["id"] == "save-1");
    REQUIRE(result["ok"] == true);
    CHECK(result["data"]["log"]["acknowledged"] == true);
    CHECK(result["data"]["log"]["disposition"] == "Sale");
    CHECK(page.next_event()["name"] == "call_log.saved");
    CHECK(WsClient(held.adapter.port()).snapshot()["call_logs"] == json::array());
}

TEST_CASE("SIGTERM with call logs still being written loses none of them", "[call_log][cli]") {
    ScratchDir dir;
    const auto config = dir.write("config.json", dir.config());
    const auto journal = dir.path / "calls.sqlite3";
    std::vector<std::string> ids;
    {
        auto [process, port] = start_adapter(config);
        WsClient page(port);
        for (int i = 0; i < 3; ++i) ids.push_back(ring(page, "+1415555010" + std::to_string(i)));
        JournalWriteLock lock(journal);
        for (const auto& id : ids) {
            answer_and_hang_up(page, id);
            page.event_named("call.ended");
        }
        process->signal(SIGTERM);
        // The driver stops first: once the page hears so, the adapter is shutting down with
        // all three records still queued behind the lock.
        for (auto event = page.event_named("driver.status"); event["status"] != "stopped";)
            event = page.event_named("driver.status");
        lock.release();
        for (const auto& id : ids) {  // the pages hear of every record before they are closed
            auto event = page.next_event();
            REQUIRE(event["name"] == "call_log");
            CHECK(event["log"]["log_id"] == id);
        }
        CHECK(page.read_until_closed() == 1001);
        CHECK(process->wait() == 0);
    }
    const auto reopened = CallLogJournal::open(journal, 0).value();
    const auto pending = reopened->pending();
    REQUIRE(pending.size() == ids.size());
    for (std::size_t i = 0; i < ids.size(); ++i) CHECK(pending[i].log_id == ids[i]);
}
