// Config layering (machine file, then the user's) and the per-user port scheme.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>

#include "config/config.hpp"
#include "config/config_layers.hpp"
#include "cti/driver_registry.hpp"
#include "service/adapter_service.hpp"
#include "support/result_checks.hpp"

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

struct ScratchDir {
    fs::path path = fs::temp_directory_path() / ("cti-layers-" + std::to_string(std::random_device{}()));
    ScratchDir() { fs::create_directories(path); }
    ~ScratchDir() {
        std::error_code ignored;
        fs::remove_all(path, ignored);
    }
    fs::path write(const std::string& name, const std::string& text) const {
        std::ofstream(path / name) << text;
        return path / name;
    }
};

cti::Result<cti::Config> parse_result(const std::string& text) {
    return cti::parse_config(text, "test.json", cti::builtin_drivers());
}
cti::Config parse(const std::string& text) { return parse_result(text).value(); }

}  // namespace

TEST_CASE("layers: objects merge key by key, anything else replaces", "[config][layers]") {
    const auto merged = cti::merge_settings(
        json{{"port", 1}, {"limits", {{"a", 1}, {"b", 2}}}, {"list", {1, 2}}},
        json{{"limits", {{"b", 3}}}, {"list", {9}}, {"driver", "sip"}});
    CHECK(merged == json{{"port", 1}, {"limits", {{"a", 1}, {"b", 3}}}, {"list", {9}}, {"driver", "sip"}});
}

TEST_CASE("layers: holds_key follows dotted keys and list indices", "[config][layers]") {
    const json settings{{"simulator", {{"busy_numbers", {"1", "2"}}}}};
    CHECK(cti::holds_key(settings, "simulator"));
    CHECK(cti::holds_key(settings, "simulator.busy_numbers[1]"));
    CHECK_FALSE(cti::holds_key(settings, "simulator.busy_numbers[2]"));
    CHECK_FALSE(cti::holds_key(settings, "limits.replay_buffer"));
}

TEST_CASE("layers: the user file overrides the machine file and errors name the file at fault", "[config][layers]") {
    ScratchDir dir;
    const auto machine = dir.write("machine.json", R"({"port": 12000, "limits": {"replay_buffer": 32}})");
    const auto user = dir.write("user.json", R"({"port": 12100, "limits": {"client_queue_limit": 16}})");
    const auto config = cti::load_layered_config(machine, user, cti::builtin_drivers()).value();
    CHECK(config.port == 12100);
    CHECK(config.limits.replay_buffer == 32);
    CHECK(config.limits.client_queue_limit == 16);
    REQUIRE(config.layers.size() == 2);
    CHECK(config.source == user.string());
    CHECK(config.source_of("limits.replay_buffer") == machine.string());
    CHECK(config.source_of("port") == user.string());

    const auto missing = dir.path / "none.json";
    CHECK(cti::load_layered_config(missing, missing, cti::builtin_drivers())->layers.empty());
    CHECK(cti::load_layered_config(machine, missing, cti::builtin_drivers())->port == 12000);

    const auto bad_machine = dir.write("bad.json", R"({"limits": {"replay_buffer": 1}})");
    CHECK_THAT(cti::test::error_message(cti::load_layered_config(bad_machine, user, cti::builtin_drivers())),
                      Catch::StartsWith(bad_machine.string() + ": key 'limits.replay_buffer'"));
    const auto not_object = dir.write("list.json", "[1]");
    CHECK_THAT(cti::test::error_message(cti::load_layered_config(machine, not_object, cti::builtin_drivers())),
                      Catch::Contains(not_object.string() + ": key '(top level)': expected an object"));
}

TEST_CASE("per_user port scheme: each user's ports are shifted by its block", "[config][ports]") {
    auto config = parse(R"({"port": 20000, "port_fallbacks": [20001, 20002], "port_scheme": "per_user",
                            "per_user_stride": 10, "per_user_slots": 50})");
    using Ports = std::vector<std::uint16_t>;
    CHECK(cti::candidate_ports(config, 0) == Ports{20000, 20001, 20002});
    CHECK(cti::candidate_ports(config, 1001) == Ports{20010, 20011, 20012});
    CHECK(cti::candidate_ports(config, 1049) == Ports{20490, 20491, 20492});
    CHECK(cti::candidate_ports(config, 1050) == Ports{20000, 20001, 20002});
    // The fixed scheme (the default) ignores the user.
    CHECK(cti::candidate_ports(parse(R"({"port": 20000, "port_fallbacks": []})"), 1001) == Ports{20000});
}

TEST_CASE("per_user port scheme: overlapping or too high blocks are refused", "[config][ports]") {
    CHECK_THAT(cti::test::error_message(parse_result(R"({"port": 20000, "port_fallbacks": [20010], "port_scheme": "per_user"})")),
                      Catch::Contains("key 'port_fallbacks[0]'") && Catch::Contains("overlap"));
    CHECK_THAT(cti::test::error_message(parse_result(R"({"port": 60000, "port_fallbacks": [], "port_scheme": "per_user", "per_user_slots": 1000})")),
                      Catch::Contains("key 'per_user_slots'"));
    CHECK_THAT(cti::test::error_message(parse_result(R"({"port_scheme": "per_host"})")), Catch::Contains("key 'port_scheme'"));
}
