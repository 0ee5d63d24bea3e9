// The pages connected to the core (cti::PageHub): each event numbered and encoded once, the one
// frame in every page's queue, pages added, removed, gone and closed. No sockets: the pages are
// FakePages.
#include <catch2/catch.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "../support/fake_page.hpp"
#include "core/page_hub.hpp"

using namespace cti;
using cti::test::FakePage;
using nlohmann::json;

namespace {

json parse(const protocol::Frame& frame) {
    REQUIRE(frame != nullptr);
    return json::parse(*frame);
}

PageEvent ringing(const std::string& call_id) {
    Call call;
    call.id = call_id;
    return CallEvent{CallReport::Kind::offered, call};
}

PageEvent agent_ready() {
    AgentState agent;
    agent.mode = AgentState::Mode::ready;
    agent.since = Clock::now();
    return AgentStateEvent{agent};
}

std::vector<std::uint64_t> seqs(const FakePage& page) {
    std::vector<std::uint64_t> seqs;
    for (const auto& frame : page.frames) seqs.push_back(parse(frame)["seq"].get<std::uint64_t>());
    return seqs;
}

}  // namespace

TEST_CASE("page hub: each event is numbered in order and its one frame goes to every page", "[page_hub]") {
    PageHub hub("epoch-7", 16);
    auto first = std::make_shared<FakePage>("page 1");
    auto second = std::make_shared<FakePage>("page 2");
    hub.add(first);
    hub.add(second);
    REQUIRE(hub.size() == 2);

    hub.publish(ringing("c-1"));
    hub.publish(agent_ready());
    hub.publish(ringing("c-2"));

    REQUIRE(first->frames.size() == 3);
    REQUIRE(second->frames.size() == 3);
    CHECK(seqs(*first) == std::vector<std::uint64_t>{1, 2, 3});
    for (std::size_t i = 0; i < 3; ++i) {
        CAPTURE(i);
        // Encoded once: both pages hold the very same frame, not two equal copies.
        CHECK(first->frames[i].get() == second->frames[i].get());
        CHECK(parse(first->frames[i])["epoch"] == "epoch-7");
    }
    CHECK(parse(first->frames[0])["name"] == "call.ringing");
    CHECK(parse(first->frames[0])["call"]["id"] == "c-1");
    CHECK(parse(first->frames[1])["name"] == "agent.state");
    CHECK(parse(first->frames[1])["agent"]["state"] == "ready");
    CHECK(parse(first->frames[2])["call"]["id"] == "c-2");

    // The replay buffer keeps that same frame for a page that resumes.
    CHECK(hub.events().last_seq() == 3);
    const auto replay = hub.events().since(1);
    REQUIRE(replay.has_value());
    REQUIRE(replay->size() == 2);
    CHECK((*replay)[0].get() == first->frames[1].get());
    CHECK((*replay)[1].get() == first->frames[2].get());
}

TEST_CASE("page hub: a page hears the events after it was added and none after it was removed", "[page_hub]") {
    PageHub hub("e", 16);
    auto early = std::make_shared<FakePage>("early");
    auto late = std::make_shared<FakePage>("late");

    hub.publish(ringing("before-anyone"));  // numbered and kept, though no page hears it
    hub.add(early);
    hub.publish(ringing("c-1"));
    hub.add(late);
    hub.publish(ringing("c-2"));
    hub.remove(early.get());
    CHECK(hub.size() == 1);
    hub.publish(ringing("c-3"));

    CHECK(seqs(*early) == std::vector<std::uint64_t>{2, 3});
    CHECK(seqs(*late) == std::vector<std::uint64_t>{3, 4});
    CHECK(hub.events().since(0)->size() == 4);

    SECTION("removing a page that is not there changes nothing") {
        FakePage stranger;
        hub.remove(&stranger);
        CHECK(hub.size() == 1);
        hub.publish(ringing("c-4"));
        CHECK(seqs(*late) == std::vector<std::uint64_t>{3, 4, 5});
    }
    SECTION("removing the last page leaves none") {
        hub.remove(late.get());
        CHECK(hub.size() == 0);
        hub.publish(ringing("c-4"));
        CHECK(late->frames.size() == 2);
        CHECK(hub.events().last_seq() == 5);
    }
}

TEST_CASE("page hub: a page whose session has gone is skipped, then dropped by remove_gone", "[page_hub]") {
    PageHub hub("e", 16);
    auto staying = std::make_shared<FakePage>("staying");
    auto leaving = std::make_shared<FakePage>("leaving");
    std::weak_ptr<FakePage> left = leaving;
    hub.add(staying);
    hub.add(leaving);
    hub.publish(ringing("c-1"));
    REQUIRE(leaving->frames.size() == 1);

    leaving.reset();  // its session ended without a remove()
    REQUIRE(left.expired());
    hub.publish(ringing("c-2"));
    CHECK(seqs(*staying) == std::vector<std::uint64_t>{1, 2});
    CHECK(hub.size() == 2);  // still listed until remove_gone()

    CHECK(hub.remove_gone() == 1);
    CHECK(hub.size() == 1);
    CHECK(hub.remove_gone() == 1);  // nothing more to drop
}

TEST_CASE("page hub: send() reaches one page, and nothing when it has gone", "[page_hub]") {
    auto page = std::make_shared<FakePage>();
    const PageHub::Page weak = page;
    const auto frame = protocol::encode_result(json("cmd-1"), json{{"ok", 1}});

    PageHub::send(weak, frame);
    REQUIRE(page->frames.size() == 1);
    CHECK(page->frames[0].get() == frame.get());

    page.reset();
    PageHub::send(weak, frame);  // must not crash or resurrect it
    CHECK(weak.expired());
}

TEST_CASE("page hub: close_all closes every page still there with the code and reason", "[page_hub]") {
    PageHub hub("e", 16);
    auto first = std::make_shared<FakePage>("first");
    auto second = std::make_shared<FakePage>("second");
    auto gone = std::make_shared<FakePage>("gone");
    hub.add(first);
    hub.add(second);
    hub.add(gone);
    gone.reset();

    hub.close_all(close_code::going_away, "the adapter is stopping");

    const FakePage::Close expected{close_code::going_away, "the adapter is stopping"};
    REQUIRE(first->closed.has_value());
    REQUIRE(second->closed.has_value());
    CHECK(*first->closed == expected);
    CHECK(*second->closed == expected);
    CHECK(first->frames.empty());  // a close is not a frame of the hub's
}
