// Event numbering and the replay buffer behind `resume` (docs/PROTOCOL.md, sections 3 and 4).
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/event_log.hpp"
#include "cti/call.hpp"
#include "cti/driver.hpp"

using nlohmann::json;

namespace {

json parse(const cti::protocol::Frame& frame) {
    REQUIRE(frame != nullptr);
    return json::parse(*frame);
}

// "call-<seq>": the call id append_events() gives the event with that seq.
std::string call_id_of(std::uint64_t seq) {
    std::string id = "call-";
    id += std::to_string(seq);
    return id;
}

cti::PageEvent ringing(std::string call_id) {
    cti::Call call;
    call.id = std::move(call_id);
    return cti::CallEvent{cti::CallReport::Kind::offered, call};
}

// Appends `count` ringing events for calls "call-<seq>" and returns their frames.
std::vector<cti::protocol::Frame> append_events(cti::EventLog& log, int count) {
    std::vector<cti::protocol::Frame> frames;
    for (int i = 0; i < count; ++i) {
        frames.push_back(log.append(ringing(call_id_of(log.last_seq() + 1))));
    }
    return frames;
}

std::uint64_t seq_of(const cti::protocol::Frame& frame) {
    return parse(frame)["seq"].get<std::uint64_t>();
}

}  // namespace

TEST_CASE("event log: starts empty at seq 0", "[event_log]") {
    cti::EventLog log("epoch-1", 8);
    CHECK(log.last_seq() == 0);
    CHECK(log.epoch() == "epoch-1");
    const auto all = log.since(0);
    REQUIRE(all.has_value());
    CHECK(all->empty());
    CHECK_FALSE(log.since(1).has_value());
}

TEST_CASE("event log: seq increases by one from 1", "[event_log]") {
    cti::EventLog log("epoch-1", 8);
    for (std::uint64_t expected = 1; expected <= 20; ++expected) {
        const auto frame = log.append(ringing("c"));
        CHECK(seq_of(frame) == expected);
        CHECK(log.last_seq() == expected);
    }
}

TEST_CASE("event log: each frame carries v type seq epoch name and the fields",
          "[event_log]") {
    cti::EventLog log("5f3c9a0e12ab77d4", 8);
    log.append(cti::DriverStatusEvent{{"simulator", {cti::DriverState::connected, "ready"}}});
    cti::Call call;
    call.id = "x-1";
    call.state = cti::CallState::ended;
    call.end_reason = cti::EndReason::busy;
    const json j = parse(log.append(cti::CallEvent{cti::CallReport::Kind::ended, call}));
    CHECK(j["v"] == 1);
    CHECK(j["type"] == "event");
    CHECK(j["seq"] == 2);
    CHECK(j["epoch"] == "5f3c9a0e12ab77d4");
    CHECK(j["name"] == "call.ended");
    CHECK(j["reason"] == "busy");
    CHECK(j["call"]["id"] == "x-1");
}

TEST_CASE("event log: since(after) returns exactly the later frames in order", "[event_log]") {
    cti::EventLog log("e", 100);
    const auto frames = append_events(log, 10);

    for (std::uint64_t after = 0; after <= 10; ++after) {
        CAPTURE(after);
        const auto later = log.since(after);
        REQUIRE(later.has_value());
        REQUIRE(later->size() == 10 - after);
        for (std::size_t i = 0; i < later->size(); ++i) {
            CHECK(seq_of((*later)[i]) == after + 1 + i);
            CHECK(parse((*later)[i])["call"]["id"] == call_id_of(after + 1 + i));
        }
    }
}

TEST_CASE("event log: since(last) is empty", "[event_log]") {
    cti::EventLog log("e", 4);
    append_events(log, 3);
    const auto none = log.since(3);
    REQUIRE(none.has_value());
    CHECK(none->empty());
}

TEST_CASE("event log: since(a seq in the future) is nullopt", "[event_log]") {
    cti::EventLog log("e", 4);
    append_events(log, 3);
    CHECK_FALSE(log.since(4).has_value());
    CHECK_FALSE(log.since(1000).has_value());
    CHECK_FALSE(log.since(UINT64_MAX).has_value());
}

TEST_CASE("event log: beyond its capacity only the newest events can be replayed",
          "[event_log]") {
    cti::EventLog log("e", 5);
    append_events(log, 12);  // keeps seq 8..12
    REQUIRE(log.last_seq() == 12);

    SECTION("a gap older than the buffer is nullopt") {
        CHECK_FALSE(log.since(0).has_value());
        CHECK_FALSE(log.since(5).has_value());
        CHECK_FALSE(log.since(6).has_value());
    }
    SECTION("the oldest kept event minus one replays the whole buffer") {
        const auto all = log.since(7);
        REQUIRE(all.has_value());
        REQUIRE(all->size() == 5);
        CHECK(seq_of(all->front()) == 8);
        CHECK(seq_of(all->back()) == 12);
    }
    SECTION("later points replay less") {
        const auto some = log.since(10);
        REQUIRE(some.has_value());
        REQUIRE(some->size() == 2);
        CHECK(seq_of((*some)[0]) == 11);
        CHECK(seq_of((*some)[1]) == 12);
    }
    SECTION("since(last) is still empty and since(future) still nullopt") {
        REQUIRE(log.since(12).has_value());
        CHECK(log.since(12)->empty());
        CHECK_FALSE(log.since(13).has_value());
    }
}

TEST_CASE("event log: a buffer exactly at capacity still replays from the start",
          "[event_log]") {
    cti::EventLog log("e", 4);
    append_events(log, 4);
    const auto all = log.since(0);
    REQUIRE(all.has_value());
    CHECK(all->size() == 4);
    append_events(log, 1);
    CHECK_FALSE(log.since(0).has_value());
    REQUIRE(log.since(1).has_value());
    CHECK(log.since(1)->size() == 4);
}

TEST_CASE("event log: with no replay buffer nothing can be replayed", "[event_log]") {
    cti::EventLog log("e", 0);
    append_events(log, 3);
    CHECK(log.last_seq() == 3);
    CHECK_FALSE(log.since(2).has_value());
    REQUIRE(log.since(3).has_value());
    CHECK(log.since(3)->empty());
}

TEST_CASE("event log: since() hands out the very frames append() returned", "[event_log]") {
    cti::EventLog log("e", 8);
    const auto frames = append_events(log, 6);
    const auto replay = log.since(2);
    REQUIRE(replay.has_value());
    REQUIRE(replay->size() == 4);
    for (std::size_t i = 0; i < 4; ++i) {
        CAPTURE(i);
        CHECK((*replay)[i].get() == frames[i + 2].get());  // the same shared string
    }
    // Each event is encoded once: the log and the caller share ownership.
    CHECK(frames[5].use_count() >= 3);
}
