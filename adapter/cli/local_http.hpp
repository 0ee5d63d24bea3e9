// A GET to an adapter on this machine (127.0.0.1), for /health and /status. Asio stays inside.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace cti {

// The JSON body of GET `path` on 127.0.0.1:`port`. Throws std::exception when nothing answers in
// time, the status is not 200 or the body is not JSON.
nlohmann::json get_local_json(std::uint16_t port, const std::string& path, std::chrono::milliseconds timeout);

}  // namespace cti
