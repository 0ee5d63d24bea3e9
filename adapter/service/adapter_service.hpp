// The running adapter: config, core, driver and listener wired together on one io_context.
// `cti-adapter run` uses it, and so do the integration tests (on a free loopback port).
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "config/config.hpp"

namespace cti {

struct BindAttempt;

// No port of the list could be bound; attempts() says why for each.
class NoFreePortError : public std::runtime_error {
public:
    explicit NoFreePortError(std::vector<BindAttempt> attempts);
    const std::vector<BindAttempt>& attempts() const { return attempts_; }

private:
    std::vector<BindAttempt> attempts_;
};

class AdapterService {
public:
    AdapterService(Config config, std::unique_ptr<Driver> driver);
    ~AdapterService();
    AdapterService(const AdapterService&) = delete;
    AdapterService& operator=(const AdapterService&) = delete;

    // Binds the first free port of the config's list and starts the driver.
    // Throws NoFreePortError.
    std::uint16_t start();
    // From now on SIGINT and SIGTERM call stop(). Call before telling anyone the adapter is up,
    // so a signal sent as soon as they know cannot kill it uncleanly.
    void stop_on_signals();
    // Runs until stop() (or SIGINT/SIGTERM when `handle_signals`). Blocks the calling thread.
    void run(bool handle_signals = false);
    // Thread-safe: stops the driver, closes clients with 1001, then run() returns.
    void stop();

    std::uint16_t port() const;
    std::string url() const;  // http://127.0.0.1:PORT/
    const std::string& epoch() const;

private:
    void start_native_listener();

    struct Parts;
    std::unique_ptr<Parts> parts_;
};

// The list of ports to try: `port`, then `port_fallbacks` (just one "any" port when port is 0).
// With port_scheme "per_user" every port is shifted by the user's block:
// (user_number mod per_user_slots) * per_user_stride.
std::vector<std::uint16_t> candidate_ports(const Config& config, std::uint32_t user_number);
// The same for the user running this process.
std::vector<std::uint16_t> candidate_ports(const Config& config);

}  // namespace cti
