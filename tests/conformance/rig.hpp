// The adapter running against one conformance peer, with a page connected: what every
// conformance case (shared or driver-specific) drives and watches.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include <catch2/catch.hpp>

#include "conformance/peer.hpp"
#include "support/running_adapter.hpp"
#include "support/ws_client.hpp"

namespace cti::test {

struct Rig {
    enum class Wait { connected, nothing };

    std::unique_ptr<Peer> peer;
    std::unique_ptr<RunningAdapter> adapter;
    std::unique_ptr<WsClient> page;

    // Starts the peer, then the adapter against it, then connects a page; by default waits
    // until the driver is connected.
    explicit Rig(std::unique_ptr<Peer> peer_in, Wait wait = Wait::connected)
        : peer(std::move(peer_in)) {
        peer->start();
        adapter = std::make_unique<RunningAdapter>(peer->adapter_config());
        peer->adapter_started(adapter->port());
        page = std::make_unique<WsClient>(adapter->port());
        if (wait == Wait::connected) wait_for_driver("connected");
    }

    // Waits until the driver reports `status` (the greeting's status counts the first time);
    // returns the status detail.
    std::string wait_for_driver(const std::string& status) {
        const bool first = !waited_;
        waited_ = true;
        if (first && page->hello()["driver"]["status"] == status)
            return page->hello()["driver"].value("detail", std::string());
        for (;;) {
            auto event = page->event_named("driver.status", std::chrono::seconds(20));
            if (event["status"] == status) return event["driver"].value("detail", std::string());
        }
    }

    nlohmann::json ok(nlohmann::json command) {
        auto result = page->command(std::move(command), std::chrono::seconds(10));
        INFO(result.dump());
        REQUIRE(result["ok"] == true);
        return result["data"];
    }

    // Waits for the named event, skipping others; returns it.
    nlohmann::json event(const std::string& name) {
        return page->event_named(name, std::chrono::seconds(20));
    }

private:
    bool waited_ = false;
};

}  // namespace cti::test
