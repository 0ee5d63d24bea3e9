#include "cli/running_instance.hpp"

#include "cli/local_http.hpp"
#include "platform/port_holder.hpp"
#include "platform/process.hpp"
#include "protocol/http_bodies.hpp"

namespace cti {
namespace {

// What a healthy adapter on `port` says of itself over /health; nullopt when nothing listens
// there, or something that is not an adapter.
std::optional<protocol::HealthReport> healthy_adapter_on(std::uint16_t port, std::chrono::milliseconds timeout) {
    try {
        auto health = protocol::decode_health_body(get_local_body(port, "/health", timeout));
        if (!health || !health->healthy) return std::nullopt;
        return *health;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

}  // namespace

bool adapter_answers(std::uint16_t port, std::chrono::milliseconds timeout) {
    return healthy_adapter_on(port, timeout).has_value();
}

std::optional<InstanceRecord> find_own_adapter_on(const std::vector<std::uint16_t>& ports,
                                                  std::chrono::milliseconds timeout) {
    for (const auto port : ports) {
        if (port == 0) continue;
        const auto holder = platform::find_port_holder(port);
        if (!holder || holder->pid == platform::current_process_id() || !holder->name.starts_with("cti-adapter") ||
            !platform::process_of_current_user(holder->pid))
            continue;
        // One that holds the port but does not answer as an adapter is not this user's adapter.
        if (const auto health = healthy_adapter_on(port, timeout))
            return InstanceRecord{holder->pid, port, health->adapter_version, "?"};
    }
    return std::nullopt;
}

std::optional<InstanceRecord> find_running_instance(const DiscoveryFile& file,
                                                    std::chrono::milliseconds timeout) {
    auto record = file.read();
    if (!record || record->pid == platform::current_process_id() ||
        !platform::process_is_running(record->pid) || !adapter_answers(record->port, timeout))
        return std::nullopt;
    return record;
}

}  // namespace cti
