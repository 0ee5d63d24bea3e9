// The pairing flow as a page and the user go through it (docs/PROTOCOL.md, 1.3), for tests that
// need a paired page: the page asks, the own origin approves, the page gets its token.
#pragma once

#include <cstdint>
#include <string>

#include "support/ws_client.hpp"

namespace cti::test {

// Options for a page of `origin` that reads nothing on connecting (it has no token yet).
ClientOptions unauthenticated(const std::string& origin);

// The page reads its short hello and sends `pair`; returns the result.
nlohmann::json ask_to_pair(WsClient& page, const std::string& name = "Acme CRM softphone");

// The pending request of `origin` as the /pair page lists it (`admin` is of the own origin).
nlohmann::json pending_request(WsClient& admin, const std::string& origin);

// A page of `origin` pairs and the request is approved; returns the token it was given.
std::string pair_page(std::uint16_t port, const std::string& origin);

}  // namespace cti::test
