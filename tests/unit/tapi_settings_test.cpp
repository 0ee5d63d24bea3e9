// The tapi driver's config section.
#include <catch2/catch.hpp>

#include "settings/settings_json.hpp"
#include "tapi/tapi_driver.hpp"

using namespace cti;
using nlohmann::json;

namespace {

std::string settings_error(const json& section) {
    auto reader = settings_reader(section, "tapi");
    const auto driver = tapi_driver_factory().create(reader);
    if (driver) FAIL("accepted " << section.dump());
    CHECK(driver.error().kind == ErrorKind::invalid_input);
    CHECK(driver.error().message == reader.problem()->message());
    return reader.problem()->key + ": " + reader.problem()->problem;
}

}  // namespace

TEST_CASE("tapi settings: defaults and every key", "[tapi]") {
    json empty = json::object();
    auto defaults = settings_reader(empty, "tapi");
    auto driver = tapi_driver_factory().create(defaults).value();  // must not connect
    CHECK(driver->name() == "tapi");
    CHECK(driver->capabilities().has(Capability::transfer));
    CHECK(driver->capabilities().has(Capability::dtmf));
    CHECK_FALSE(driver->capabilities().has(Capability::simulate));

    json all = {{"host", "127.0.0.1"},
                {"port", 4721},
                {"reconnect_initial_ms", 50},
                {"reconnect_max_ms", 2000}};
    auto reader = settings_reader(all, "tapi");
    CHECK(tapi_driver_factory().create(reader));
}

TEST_CASE("tapi settings: errors name the key", "[tapi]") {
    CHECK_THAT(settings_error({{"port", "4720"}}), Catch::StartsWith("tapi.port:"));
    CHECK_THAT(settings_error({{"port", 0}}), Catch::StartsWith("tapi.port:"));
    CHECK_THAT(settings_error({{"host", "localhost"}}), Catch::StartsWith("tapi.host:"));
    CHECK_THAT(settings_error({{"reconnect_initial_ms", 1}}),
               Catch::StartsWith("tapi.reconnect_initial_ms:"));
    CHECK_THAT(settings_error({{"reconnect_initial_ms", 1000}, {"reconnect_max_ms", 500}}),
               Catch::StartsWith("tapi.reconnect_max_ms:"));
    CHECK_THAT(settings_error({{"prot", 4720}}), Catch::StartsWith("tapi.prot: unknown key"));
}
