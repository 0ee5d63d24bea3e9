// The pages connected to the core, and the events they are sent.
//
// Each event is numbered and encoded once (EventLog), and the one frame goes into every page's
// send queue. A page is held weakly: its session owns it, and one that is gone is skipped.
// Not thread-safe: the core uses it from its strand only.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/client_connection.hpp"
#include "core/event_log.hpp"
#include "core/event_sink.hpp"

namespace cti {

class PageHub final : public EventSink {
public:
    using Page = std::weak_ptr<ClientConnection>;

    PageHub(std::string epoch, std::size_t replay_capacity);

    void publish(PageEvent event) override;

    void add(const std::shared_ptr<ClientConnection>& page);
    void remove(const ClientConnection* page);
    std::size_t size() const { return pages_.size(); }
    // Drops the pages whose session has ended without a remove() yet; returns how many are left.
    std::size_t remove_gone();
    void close_all(std::uint16_t code, const std::string& reason);

    const EventLog& events() const { return events_; }

    static void send(const Page& page, protocol::Frame frame);

private:
    EventLog events_;
    std::vector<std::pair<const ClientConnection*, Page>> pages_;
};

}  // namespace cti
