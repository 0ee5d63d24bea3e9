// The real adapter service, in process, on a free loopback port, for one test.
#pragma once

#include <memory>
#include <string>
#include <thread>

#include "cti/driver.hpp"
#include "service/adapter_service.hpp"
#include "support/temp_dir.hpp"

namespace cti::test {

class RunningAdapter {
public:
    // `config_json` is a config file's text; its port is replaced by 0 (any free port), and
    // unless it names a call_log_file (pairing.file) the call log (the pairings) go to a
    // scratch directory of this test.
    // Without a driver the configured one (the simulator by default) is used.
    explicit RunningAdapter(const std::string& config_json = "{}", std::unique_ptr<Driver> driver = {});
    ~RunningAdapter();  // stops the service and joins its thread

    std::uint16_t port() const { return port_; }
    AdapterService& service() { return *service_; }
    void stop();        // stop now (the destructor then only joins)

private:
    std::unique_ptr<TempDir> scratch_;  // holds the call log and pairings unless the config names them
    std::unique_ptr<AdapterService> service_;
    std::uint16_t port_ = 0;
    std::thread thread_;
};

}  // namespace cti::test
