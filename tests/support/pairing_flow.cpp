#include "support/pairing_flow.hpp"

#include <stdexcept>

namespace cti::test {

using nlohmann::json;

ClientOptions unauthenticated(const std::string& origin) {
    auto options = with_origin(origin);
    options.read_greeting = false;
    return options;
}

json ask_to_pair(WsClient& page, const std::string& name) {
    auto hello = page.next_frame();
    if (hello.value("auth", "") != "required") throw std::runtime_error("expected the short hello, got " + hello.dump());
    return page.command({{"type", "pair"}, {"name", name}});
}

json pending_request(WsClient& admin, const std::string& origin) {
    auto listing = admin.command({{"type", "pairing.list"}});
    for (const auto& request : listing["data"]["pending"])
        if (request["origin"] == origin) return request;
    throw std::runtime_error("no pending request of " + origin + " in " + listing.dump());
}

std::string pair_page(std::uint16_t port, const std::string& origin) {
    WsClient page(port, unauthenticated(origin));
    auto asked = ask_to_pair(page);
    if (!asked.value("ok", false)) throw std::runtime_error("pair refused: " + asked.dump());
    WsClient admin(port);
    auto request = pending_request(admin, origin);
    auto approved = admin.command({{"type", "pairing.approve"}, {"request_id", request["id"]}});
    if (!approved.value("ok", false)) throw std::runtime_error("approve refused: " + approved.dump());
    auto paired = page.next_frame();
    if (paired.value("type", "") != "paired") throw std::runtime_error("expected paired, got " + paired.dump());
    return paired["token"].get<std::string>();
}

}  // namespace cti::test
