#include "cli/running_instance.hpp"

#include "cli/local_http.hpp"
#include "platform/port_holder.hpp"
#include "platform/process.hpp"

namespace cti {

bool adapter_answers(std::uint16_t port, std::chrono::milliseconds timeout) {
    try {
        return get_local_json(port, "/health", timeout).value("status", "") == "ok";
    } catch (const std::exception&) {
        return false;  // nothing listens, or something that is not an adapter
    }
}

std::optional<InstanceRecord> find_own_adapter_on(const std::vector<std::uint16_t>& ports,
                                                  std::chrono::milliseconds timeout) {
    for (const auto port : ports) {
        if (port == 0) continue;
        const auto holder = platform::find_port_holder(port);
        if (!holder || holder->pid == platform::current_process_id() || !holder->name.starts_with("cti-adapter") ||
            !platform::process_of_current_user(holder->pid))
            continue;
        try {
            const auto health = get_local_json(port, "/health", timeout);
            if (health.value("status", "") != "ok") continue;
            return InstanceRecord{holder->pid, port, health.value("version", "?"), "?"};
        } catch (const std::exception&) {
            continue;  // holds the port but does not answer as an adapter
        }
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
