// One plain HTTP GET to a server on 127.0.0.1 (the adapter's /health and /status).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace cti::bench {

// The body of a 200 answer; nullopt when nothing answers or the status is not 200.
std::optional<std::string> http_get(std::uint16_t port, const std::string& path);

}  // namespace cti::bench
