// SIGTERM is a clean stop, under the real executable with the SIP driver registered at a real
// PBX (Kamailio) and a call ringing: the call ends and is logged, pages are closed with 1001,
// the journal on disk has every call, the PBX sees the driver unregister (REGISTER with
// Expires 0, over UDP and over TCP), and the process exits 0.
#include <catch2/catch.hpp>

#include "conformance/sip_peer.hpp"
#include "faults/journal_rows.hpp"
#include "support/adapter_process.hpp"
#include "support/temp_dir.hpp"
#include "support/ws_client.hpp"

namespace cti::test {

TEST_CASE("SIGTERM with a call ringing: the call is logged, pages get 1001, the SIP driver unregisters, exit 0",
          "[faults][shutdown][sip]") {
    const bool tcp = GENERATE(false, true);
    INFO("the driver talks " << (tcp ? "TCP" : "UDP") << " to the PBX");
    SipPeer pbx(SipSetup{.tcp = tcp});
    pbx.start();
    TempDir folder;
    AdapterProcess adapter(folder.path, nlohmann::json::parse(pbx.adapter_config()));
    pbx.adapter_started(adapter.port());
    REQUIRE(pbx.pbx_log_line("registered 1001 for 60 s", std::chrono::seconds(20)));
    WsClient page(adapter.port());

    pbx.call_in("5550021", "Gave Up", Caller::gives_up);
    const auto missed = page.event_named("screen_pop", 20s)["call_id"].get<std::string>();
    CHECK(page.event_named("call_log", 20s)["log"]["log_id"] == missed);
    pbx.call_in("5550022", "Still Ringing", Caller::waits);
    const auto ringing = page.event_named("screen_pop", 20s)["call_id"].get<std::string>();

    adapter.request_stop();
    // What is still up cannot be followed any more: it ends, is logged, and only then is the
    // page let go.
    auto ended = page.event_named("call.ended", 10s);
    CHECK(ended["call"]["id"] == ringing);
    CHECK(ended["reason"] == "driver_lost");
    CHECK(page.event_named("call_log", 10s)["log"]["log_id"] == ringing);
    CHECK(page.read_until_closed() == 1001);
    const auto unregistered = pbx.pbx_log_line("registered 1001 for 0 s", std::chrono::seconds(10));
    INFO("the PBX's log:\n" << pbx.pbx_output());
    CHECK(unregistered);
    CHECK(adapter.wait_for_exit() == 0);

    check_journal_after_exit(adapter.journal_file(), {{missed, "missed"}, {ringing, "driver_lost"}});
}

TEST_CASE("SIGTERM: a page still waiting to authenticate or pair gets 1001 too", "[faults][shutdown]") {
    TempDir folder;
    const std::string crm = "https://crm.example.com";
    AdapterProcess adapter(folder.path, {{"allowed_origins", {crm}}});
    WsClient attached(adapter.port());
    WsClient waiting(adapter.port(), with_origin(crm));  // had the short hello; no token yet
    REQUIRE(waiting.hello()["auth"] == "required");

    adapter.request_stop();
    CHECK(waiting.read_until_closed() == 1001);
    CHECK(attached.read_until_closed() == 1001);
    CHECK(adapter.wait_for_exit() == 0);
}

}  // namespace cti::test
