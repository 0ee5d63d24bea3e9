// A page that drops and comes back gets what it missed, in order (docs/PROTOCOL.md, section 4).
#include <catch2/catch.hpp>

#include "support/fake_driver.hpp"
#include "support/running_adapter.hpp"
#include "support/ws_client.hpp"

using namespace cti;
using namespace cti::test;
using nlohmann::json;

namespace {

std::unique_ptr<FakeDriver> fake_driver(FakeDriver*& out) {
    auto driver = std::make_unique<FakeDriver>(Capabilities{Capability::answer, Capability::hangup});
    out = driver.get();
    return driver;
}

}  // namespace

TEST_CASE("resume replays every missed event in order", "[resume]") {
    FakeDriver* fake = nullptr;
    RunningAdapter adapter("{}", fake_driver(fake));
    std::string epoch;
    std::uint64_t last_seq = 0;
    {
        WsClient page(adapter.port());
        epoch = page.hello()["epoch"];
        fake->emit(offered("a"));
        page.event_named("screen_pop");
        last_seq = page.command({{"type", "snapshot"}})["data"]["seq"];
    }  // the page drops

    WsClient watcher(adapter.port());  // sees the same events live, to know when they happened
    fake->emit(changed(CallReport::Kind::connected, "a"));
    fake->emit(changed(CallReport::Kind::ended, "a"));
    watcher.event_named("call_log");  // sent once the record is on disk, so wait for it
    fake->emit(offered("b"));
    watcher.event_named("screen_pop");

    WsClient page(adapter.port());
    auto result = page.command({{"type", "resume"}, {"epoch", epoch}, {"after_seq", last_seq}});
    REQUIRE(result["ok"] == true);
    CHECK(result["data"]["resync"] == false);
    CHECK(result["data"]["replayed"] == 5);
    std::vector<std::string> names;
    for (std::uint64_t i = 1; i <= 5; ++i) {
        auto event = page.next_event();
        CHECK(event["seq"] == last_seq + i);
        names.push_back(event["name"]);
    }
    CHECK(names == std::vector<std::string>{"call.connected", "call.ended", "call_log", "call.ringing", "screen_pop"});

    SECTION("resuming from the newest seq replays nothing") {
        auto none = page.command({{"type", "resume"}, {"epoch", epoch}, {"after_seq", last_seq + 5}});
        CHECK(none["data"] == json{{"replayed", 0}, {"resync", false}});
    }
}

TEST_CASE("resume with another run's epoch a gap too old or a future seq gets a resync snapshot", "[resume]") {
    FakeDriver* fake = nullptr;
    RunningAdapter adapter(R"({"limits": {"replay_buffer": 16}})", fake_driver(fake));
    WsClient watcher(adapter.port());
    const auto epoch = watcher.hello()["epoch"].get<std::string>();
    for (int i = 0; i < 10; ++i) fake->emit(offered("c" + std::to_string(i)));  // 20 events
    for (int i = 0; i < 20; ++i) watcher.next_event();
    const auto last = watcher.snapshot()["seq"].get<std::uint64_t>() + 20;  // 16 of them are kept

    auto expect_resync = [&](json epoch_value, std::uint64_t after) {
        WsClient page(adapter.port());
        auto result = page.command({{"type", "resume"}, {"epoch", epoch_value}, {"after_seq", after}});
        CHECK(result["data"] == json{{"replayed", 0}, {"resync", true}});
    };
    expect_resync("another-run", last - 1);
    expect_resync(epoch, last - 17);  // the event after it is no longer kept
    expect_resync(epoch, last + 1);   // in the future

    WsClient page(adapter.port());
    page.send_text(json{{"v", 1}, {"type", "resume"}, {"id", "r"}, {"epoch", "x"}, {"after_seq", 0}}.dump());
    auto snapshot = page.next_frame();
    CHECK(snapshot["type"] == "snapshot");
    CHECK(snapshot["resync"] == true);
    CHECK(snapshot["calls"].size() == 10);
    CHECK(page.next_frame()["id"] == "r");

    SECTION("the oldest kept event can still be resumed from") {
        WsClient late(adapter.port());
        auto result = late.command({{"type", "resume"}, {"epoch", epoch}, {"after_seq", last - 16}});
        CHECK(result["data"] == json{{"replayed", 16}, {"resync", false}});
    }
}

TEST_CASE("resume rejects malformed fields", "[resume]") {
    RunningAdapter adapter;
    WsClient page(adapter.port());
    auto bad = page.command({{"type", "resume"}, {"epoch", 5}, {"after_seq", 1}});
    CHECK(bad["error"]["code"] == "bad_request");
    bad = page.command({{"type", "resume"}, {"epoch", "e"}, {"after_seq", -1}});
    CHECK(bad["error"]["code"] == "bad_request");
    CHECK(bad["error"]["message"].get<std::string>().find("after_seq") != std::string::npos);
}

TEST_CASE("a resume of more events than client_queue_limit gets a resync snapshot, not 4008", "[resume]") {
    FakeDriver* fake = nullptr;
    RunningAdapter adapter(R"({"limits": {"client_queue_limit": 16}})", fake_driver(fake));
    WsClient watcher(adapter.port());
    const auto epoch = watcher.hello()["epoch"].get<std::string>();
    const auto before = watcher.snapshot()["seq"].get<std::uint64_t>();
    for (int i = 0; i < 10; ++i) {  // 20 events, two at a time so the watcher's own queue keeps up
        fake->emit(offered("q" + std::to_string(i)));
        watcher.event_named("screen_pop");
    }

    WsClient page(adapter.port());
    page.send_text(json{{"v", 1}, {"type", "resume"}, {"id", "r"}, {"epoch", epoch}, {"after_seq", before}}.dump());
    auto snapshot = page.next_frame();
    CHECK(snapshot["type"] == "snapshot");
    CHECK(snapshot["resync"] == true);
    CHECK(snapshot["calls"].size() == 10);
    CHECK(snapshot["seq"] == before + 20);
    auto result = page.next_frame();
    CHECK(result["id"] == "r");
    CHECK(result["data"] == json{{"replayed", 0}, {"resync", true}});
    CHECK(page.command({{"type", "ping"}})["ok"] == true);  // still open
}
