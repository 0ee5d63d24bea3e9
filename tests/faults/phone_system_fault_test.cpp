// The phone system dies mid-call and comes back, under the real executable: Kamailio (the PBX
// the SIP driver registers with) is killed with SIGKILL while a SIPp caller rings the agent,
// then started again on the same port. The conformance suite covers a clean PBX stop for every
// driver with the adapter in process; this is the crash, with the call log checked on disk.
#include <catch2/catch.hpp>

#include "conformance/sip_peer.hpp"
#include "faults/journal_rows.hpp"
#include "support/adapter_process.hpp"
#include "support/temp_dir.hpp"
#include "support/ws_client.hpp"

namespace cti::test {
namespace {

using nlohmann::json;

// Reads driver.status events until the driver reports `status`.
void wait_for_driver(WsClient& page, const std::string& status) {
    for (;;)
        if (page.event_named("driver.status", std::chrono::seconds(20))["status"] == status) return;
}

}  // namespace

TEST_CASE("PBX killed mid-call and restarted: the call ends driver_lost and is logged, the driver reconnects, a new call pops",
          "[faults][sip]") {
    SipPeer pbx;
    pbx.start();
    TempDir folder;
    AdapterProcess adapter(folder.path, json::parse(pbx.adapter_config()));
    pbx.adapter_started(adapter.port());
    WsClient page(adapter.port());
    if (page.hello()["driver"]["status"] != "connected") wait_for_driver(page, "connected");

    pbx.call_in("5550005", "Lost Caller", Caller::waits);
    const auto lost = page.event_named("screen_pop", std::chrono::seconds(20))["call_id"].get<std::string>();
    pbx.kill_now();

    // The driver notices the dead PBX (its keepalives go unanswered) and the call ends with it.
    auto ended = page.event_named("call.ended", std::chrono::seconds(20));
    CHECK(ended["call"]["id"] == lost);
    CHECK(ended["reason"] == "driver_lost");
    auto log = page.event_named("call_log", std::chrono::seconds(10))["log"];
    CHECK(log["log_id"] == lost);
    CHECK(log["end_reason"] == "driver_lost");
    wait_for_driver(page, "disconnected");

    pbx.restart();  // the same port: the driver's retries find it again
    wait_for_driver(page, "connected");
    pbx.call_in("5550006", "Back Again", Caller::gives_up);
    auto pop = page.event_named("screen_pop", std::chrono::seconds(20));
    CHECK(pop["caller"]["number"] == "5550006");
    const auto missed = pop["call_id"].get<std::string>();
    CHECK(page.event_named("call.ended", std::chrono::seconds(20))["reason"] == "missed");

    REQUIRE(adapter.terminate() == 0);
    check_journal_after_exit(adapter.journal_file(), {{lost, "driver_lost"}, {missed, "missed"}});
}

}  // namespace cti::test
