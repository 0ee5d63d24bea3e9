// When no adapter is running, doctor still answers "can this desktop reach its phone system?"
// by starting the configured driver for a moment, through the one driver interface (so doctor
// names no vendor), and reporting the status it reached.
#pragma once

#include <chrono>
#include <span>

#include "config/config.hpp"
#include "cti/driver.hpp"
#include "cti/driver_registry.hpp"

namespace cti {

struct DriverTrial {
    DriverStatus status;  // connected or disconnected; connecting when `timeout` ran out first
    bool timed_out = false;
};

// Starts the driver of `config`, waits until it reports connected or disconnected (at most
// `timeout`) and stops it. Fails as create_driver() does for a bad driver section.
Result<DriverTrial> try_driver(const Config& config, std::span<const DriverFactory> drivers,
                       std::chrono::milliseconds timeout);

}  // namespace cti
