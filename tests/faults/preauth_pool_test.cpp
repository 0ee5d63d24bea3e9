// Connections nobody knows yet (a request trickling in byte by byte, a WebSocket that never
// authenticates) hold places only in the small pre-authentication pool (limits.max_unauthenticated),
// never the slots of max_connections, and the oldest of them makes way for a newcomer: under
// such an attack the adapter's own page, the command line and a paired page still get in and
// get their events (docs/SECURITY.md).
#include <catch2/catch.hpp>

#include <regex>

#include "faults/pool_squatters.hpp"
#include "pairing/tokens.hpp"
#include "support/adapter_process.hpp"
#include "support/child_process.hpp"
#include "support/temp_dir.hpp"
#include "support/ws_client.hpp"

namespace cti::test {
namespace {

using nlohmann::json;

const std::string crm = "https://crm.example.com";
const std::string crm_token = "preauth-pool-test-token-0123456789abcdef";

}  // namespace

TEST_CASE("with the pre-authentication pool full of slow sockets and unauthenticated pages, the own page, "
          "the command line and a paired page get in and get their events",
          "[faults][preauth]") {
    TempDir folder;
    constexpr std::size_t pool = 8;
    AdapterProcess adapter(
        folder.path,
        {{"allowed_origins", {crm}},
         {"pairing", {{"preseeded", {{{"origin", crm}, {"token_sha256", pairing::token_sha256_hex(crm_token)}}}}}},
         {"limits", {{"max_unauthenticated", pool}, {"max_connections", 4}}}});
    const auto port = adapter.port();
    const auto config = (folder.path / "config.json").string();

    // Three times the pool: however many the adapter drops, as many come back at once.
    PoolSquatters squatters(port, crm, 3 * pool);
    REQUIRE(squatters.wait_for_drops(2 * pool, 30s));  // the pool overflowed, over and over

    WsClient own_page(port);
    WsClient paired_page(port, with_token(crm, crm_token));
    auto rang = run_adapter_command({"simulate", "incoming", "+14155550123", "--config", config, "--port",
                                     std::to_string(port)});
    REQUIRE(rang.exit_code == 0);
    const auto call_id = rang.out.substr(0, rang.out.find('\n'));
    CHECK(own_page.event_named("call.ringing")["call"]["id"] == call_id);
    CHECK(paired_page.event_named("call.ringing")["call"]["id"] == call_id);
    auto status = run_adapter_command({"status", "--config", config, "--port", std::to_string(port)});
    CHECK(status.exit_code == 0);
    CHECK(status.out.find(call_id) != std::string::npos);

    // Squatters were refused as documented, and the pages they kept out are fewer than the pool.
    CHECK(adapter.logged("limits.max_unauthenticated"));
}

}  // namespace cti::test
