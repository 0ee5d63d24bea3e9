#include "core/page_hub.hpp"

#include <algorithm>

namespace cti {

PageHub::PageHub(std::string epoch, std::size_t replay_capacity) : events_(std::move(epoch), replay_capacity) {}

void PageHub::publish(PageEvent event) {
    const auto frame = events_.append(event);
    for (const auto& [raw, weak] : pages_)
        if (auto page = weak.lock()) page->deliver(frame);
}

void PageHub::add(const std::shared_ptr<ClientConnection>& page) { pages_.emplace_back(page.get(), page); }

void PageHub::remove(const ClientConnection* page) {
    std::erase_if(pages_, [page](const auto& entry) { return entry.first == page; });
}

std::size_t PageHub::remove_gone() {
    std::erase_if(pages_, [](const auto& entry) { return entry.second.expired(); });
    return pages_.size();
}

void PageHub::close_all(std::uint16_t code, const std::string& reason) {
    for (const auto& [raw, weak] : pages_)
        if (auto page = weak.lock()) page->close(code, reason);
}

void PageHub::send(const Page& page, protocol::Frame frame) {
    if (auto connection = page.lock()) connection->deliver(std::move(frame));
}

}  // namespace cti
