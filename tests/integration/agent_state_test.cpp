// The agent's availability: ready / not ready with a reason / wrap-up after a call.
#include <catch2/catch.hpp>

#include "support/running_adapter.hpp"
#include "support/temp_dir.hpp"
#include "support/ws_client.hpp"

using namespace cti::test;
using nlohmann::json;

TEST_CASE("the agent state is in every snapshot and can be set from the page", "[agent]") {
    RunningAdapter adapter(R"({"agent": {"not_ready_reasons": ["Lunch", "Coaching"]}})");
    WsClient page(adapter.port());
    WsClient other(adapter.port());
    CHECK(page.hello()["not_ready_reasons"] == json::array({"Lunch", "Coaching"}));
    CHECK(page.snapshot()["agent"]["state"] == "not_ready");  // a first start: not ready

    auto ready = page.command({{"type", "set_agent_state"}, {"state", "ready"}});
    REQUIRE(ready["ok"] == true);
    CHECK(ready["data"]["agent"]["state"] == "ready");
    CHECK(ready["data"]["agent"]["reason"].is_null());
    CHECK(other.event_named("agent.state")["agent"]["state"] == "ready");

    auto lunch = page.command({{"type", "set_agent_state"}, {"state", "not_ready"}, {"reason", "Lunch"}});
    CHECK(lunch["data"]["agent"] == json{{"state", "not_ready"}, {"reason", "Lunch"},
                                         {"since", lunch["data"]["agent"]["since"]}, {"wrap_up_ends_at", nullptr}});

    auto bad = page.command({{"type", "set_agent_state"}, {"state", "not_ready"}, {"reason", "Nap"}});
    CHECK(bad["error"]["code"] == "bad_request");
    CHECK(bad["error"]["message"].get<std::string>().find("Lunch, Coaching") != std::string::npos);
    CHECK(page.command({{"type", "set_agent_state"}, {"state", "asleep"}})["error"]["code"] == "bad_request");
    CHECK(page.command({{"type", "set_agent_state"}, {"state", "not_ready"}})["error"]["code"] == "bad_request");
}

TEST_CASE("after an answered call the agent is in wrap-up and then ready again by itself", "[agent]") {
    RunningAdapter adapter(R"({"agent": {"wrap_up_seconds": 1}})");
    WsClient page(adapter.port());
    page.command({{"type", "set_agent_state"}, {"state", "ready"}});
    page.event_named("agent.state");
    auto id = page.command({{"type", "simulate"}, {"action", "incoming"}, {"from", "+14155550123"}})["data"]["call_id"];
    page.command({{"type", "answer"}, {"call_id", id}});
    page.command({{"type", "hangup"}, {"call_id", id}});
    auto wrap_up = page.event_named("agent.state");
    CHECK(wrap_up["agent"]["state"] == "wrap_up");
    CHECK(wrap_up["agent"]["wrap_up_ends_at"].is_string());
    auto ready = page.event_named("agent.state", std::chrono::seconds(10));  // the adapter's own timer
    CHECK(ready["agent"]["state"] == "ready");

    SECTION("a missed call does not start wrap-up") {
        auto missed = page.command({{"type", "simulate"}, {"action", "incoming"}, {"from", "+14155550124"}})["data"]["call_id"];
        page.command({{"type", "simulate"}, {"action", "remote_hangup"}, {"call_id", missed}});
        page.event_named("call_log");
        CHECK(page.command({{"type", "snapshot"}})["data"]["agent"]["state"] == "ready");
    }
}

TEST_CASE("the agent state is kept across restarts", "[agent]") {
    TempDir dir;
    const auto config = json{{"call_log_file", (dir.path / "calls.sqlite3").string()}}.dump();
    {
        RunningAdapter adapter(config);
        WsClient page(adapter.port());
        page.command({{"type", "set_agent_state"}, {"state", "not_ready"}, {"reason", "Training"}});
    }
    RunningAdapter restarted(config);
    WsClient page(restarted.port());
    CHECK(page.snapshot()["agent"]["state"] == "not_ready");
    CHECK(page.snapshot()["agent"]["reason"] == "Training");
}
