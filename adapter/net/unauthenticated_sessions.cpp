#include "net/unauthenticated_sessions.hpp"

#include <vector>

namespace cti {

void UnauthenticatedSessions::add(const ClientConnection* key, std::weak_ptr<ClientConnection> session) {
    std::lock_guard lock(mutex_);
    sessions_.insert_or_assign(key, std::move(session));
}

void UnauthenticatedSessions::remove(const ClientConnection* key) {
    std::lock_guard lock(mutex_);
    sessions_.erase(key);
}

void UnauthenticatedSessions::close_all(std::uint16_t code, const std::string& reason) {
    std::vector<std::shared_ptr<ClientConnection>> open;
    {
        std::lock_guard lock(mutex_);
        for (const auto& [key, weak] : sessions_)
            if (auto session = weak.lock()) open.push_back(std::move(session));
    }
    // Outside the lock: a session that ends here removes itself.
    for (const auto& session : open) session->close(code, reason);
}

}  // namespace cti
