#include "support/running_adapter.hpp"

#include <cstdlib>
#include <filesystem>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include "config/config.hpp"
#include "cti/driver_registry.hpp"
#include "platform/paths.hpp"

namespace cti::test {

RunningAdapter::RunningAdapter(const std::string& config_json, std::unique_ptr<Driver> driver) {
    // Keep test output readable; CTI_TEST_LOG_LEVEL=debug shows everything.
    const char* level = std::getenv("CTI_TEST_LOG_LEVEL");
    spdlog::set_level(level ? spdlog::level::from_str(level) : spdlog::level::warn);
    auto config = parse_config(config_json, "test config", builtin_drivers()).value();
    config.port = 0;
    scratch_ = std::make_unique<TempDir>();
    if (config_json.find("call_log_file") == std::string::npos)
        config.call_log_file = (scratch_->path / "call-log.sqlite3").string();
    // Paired tokens stay in the test's scratch folder, never in the user's data folder.
    if (config.pairing.file == (platform::data_dir() / "pairings.json").string())
        config.pairing.file = (scratch_->path / "pairings.json").string();
    if (!driver) driver = create_driver(config, builtin_drivers()).value();
    service_ = AdapterService::create(std::move(config), std::move(driver)).value();
    port_ = service_->start().value();
    thread_ = std::thread([this] { service_->run(); });
}

void RunningAdapter::stop() { service_->stop(); }

RunningAdapter::~RunningAdapter() {
    service_->stop();
    thread_.join();
    service_.reset();  // closes the call log before its directory goes
}

}  // namespace cti::test
