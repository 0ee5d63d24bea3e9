// Finding the adapter that already runs for this user.
#pragma once

#include <chrono>
#include <optional>
#include <vector>

#include "service/discovery_file.hpp"

namespace cti {

// The instance the discovery file names, when that process is alive, is not this process, and
// answers /health on the file's port. A stale file (a crashed adapter, a reused port) gives nullopt.
std::optional<InstanceRecord> find_running_instance(const DiscoveryFile& file,
                                                    std::chrono::milliseconds timeout);

// This user's cti-adapter holding one of `ports`, found through the port's holder rather than
// the discovery file (a second start with another XDG_RUNTIME_DIR looks for the file elsewhere):
// its pid and port, when it answers /health there. Never another user's, nor this process.
std::optional<InstanceRecord> find_own_adapter_on(const std::vector<std::uint16_t>& ports,
                                                  std::chrono::milliseconds timeout);

// Whether a cti-adapter answers GET /health on `port`.
bool adapter_answers(std::uint16_t port, std::chrono::milliseconds timeout);

}  // namespace cti
