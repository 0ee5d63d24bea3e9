#include "cli/running_instance.hpp"

#include "cli/local_http.hpp"
#include "platform/process.hpp"

namespace cti {

bool adapter_answers(std::uint16_t port, std::chrono::milliseconds timeout) {
    try {
        return get_local_json(port, "/health", timeout).value("status", "") == "ok";
    } catch (const std::exception&) {
        return false;  // nothing listens, or something that is not an adapter
    }
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
