// A GET to an adapter on this machine (127.0.0.1), for /health and /status. Asio stays inside.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace cti {

// The body of GET `path` on 127.0.0.1:`port`, as it came (protocol/http_bodies.hpp reads it).
// Throws std::exception when nothing answers in time or the status is not 200.
std::string get_local_body(std::uint16_t port, const std::string& path, std::chrono::milliseconds timeout);

// The same body parsed, for `cti-adapter doctor`, which keeps the whole of /status in its report
// and support bundle; it also throws when the body is not JSON. The command line's own commands
// read bodies through protocol/.
nlohmann::json get_local_json(std::uint16_t port, const std::string& path, std::chrono::milliseconds timeout);

}  // namespace cti
