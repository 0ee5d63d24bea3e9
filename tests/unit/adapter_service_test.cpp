// AdapterService::create: what the config names and cannot be used stops the service before any
// part of it exists, with an Error naming the file that sets the key, the key and the file.
#include <catch2/catch.hpp>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "config/config.hpp"
#include "cti/driver_registry.hpp"
#include "service/adapter_service.hpp"
#include "support/result_checks.hpp"
#include "support/temp_dir.hpp"

using namespace cti;
using test::error_message;

namespace {

Result<std::unique_ptr<AdapterService>> create(const nlohmann::json& settings) {
    auto config = parse_config(settings.dump(), "/etc/cti-adapter/config.json", builtin_drivers()).value();
    auto driver = create_driver(config, builtin_drivers()).value();
    return AdapterService::create(std::move(config), std::move(driver));
}

}  // namespace

TEST_CASE("service: a call log file that cannot be opened is a config error naming the key", "[service]") {
    test::TempDir dir;
    const auto file = (std::filesystem::path(dir.write("not-a-folder", "a file")) / "calls.sqlite3").string();
    CHECK_THAT(error_message(create({{"call_log_file", file}})),
               Catch::StartsWith("/etc/cti-adapter/config.json: key 'call_log_file': " + file +
                                 ": cannot open the call log: "));
}

TEST_CASE("service: a call log file that can be opened makes a service", "[service]") {
    test::TempDir dir;
    CHECK(create({{"call_log_file", (dir.path / "calls.sqlite3").string()}}).has_value());
}

#ifdef CTI_WITH_TLS
TEST_CASE("service: IT's certificate file that does not exist is not_found, naming the key and the file", "[service][tls]") {
    test::TempDir dir;
    const auto missing = (dir.path / "missing.pem").string();
    const nlohmann::json settings{{"call_log_file", (dir.path / "calls.sqlite3").string()},
                                  {"tls", {{"enabled", true}, {"certificate_file", missing}, {"key_file", missing}}}};
    CHECK(error_message(create(settings), ErrorKind::not_found) ==
          "/etc/cti-adapter/config.json: key 'tls.certificate_file': " + missing +
              ": cannot read the file (it does not exist)");
}
#endif
