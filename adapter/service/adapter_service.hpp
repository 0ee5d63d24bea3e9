// The running adapter: config, core, driver and listener wired together on one io_context.
// `cti-adapter run` uses it, and so do the integration tests (on a free loopback port).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "cti/result.hpp"

namespace cti {

class AdapterService {
public:
    // Opens the call-log journal and loads the TLS identity, then builds the service, so that
    // there is never a service without its journal. What the config names and cannot be used
    // (call_log_file, IT's tls.certificate_file or tls.key_file) is `invalid_input` or
    // `not_found`, its message naming the file that sets the key, the key and the file; the
    // adapter's own TLS files that cannot be written are `failed`.
    static Result<std::unique_ptr<AdapterService>> create(Config config, std::unique_ptr<Driver> driver);
    ~AdapterService();
    AdapterService(const AdapterService&) = delete;
    AdapterService& operator=(const AdapterService&) = delete;

    // Binds the first free port of the config's list and starts the driver. When no port is
    // free, `unavailable` and nothing started; the message is "no port is free on 127.0.0.1"
    // and then a line "  port N: why" for each port tried, in order.
    Result<std::uint16_t> start();
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
    struct Parts;
    explicit AdapterService(std::unique_ptr<Parts> parts);
    void start_native_listener();

    std::unique_ptr<Parts> parts_;
};

// The list of ports to try: `port`, then `port_fallbacks` (just one "any" port when port is 0).
// With port_scheme "per_user" every port is shifted by the user's block:
// (user_number mod per_user_slots) * per_user_stride.
std::vector<std::uint16_t> candidate_ports(const Config& config, std::uint32_t user_number);
// The same for the user running this process.
std::vector<std::uint16_t> candidate_ports(const Config& config);

}  // namespace cti
