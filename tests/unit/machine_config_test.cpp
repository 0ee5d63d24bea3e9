// `cti-adapter install-config`: the machine-wide config as installers write and remove it.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "../support/temp_dir.hpp"
#include "cli/machine_config.hpp"
#include "config/config.hpp"
#include "cti/driver_registry.hpp"
#include "support/result_checks.hpp"

using cti::MachineSettings;
namespace fs = std::filesystem;

namespace {

std::string read_text(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

nlohmann::json read_json(const fs::path& file) {
    std::ifstream in(file);
    std::ostringstream text;
    text << in.rdbuf();
    return nlohmann::json::parse(text.str());
}

cti::Result<cti::Config> write(const fs::path& file, const MachineSettings& settings) {
    return cti::write_machine_config(file, settings, cti::builtin_drivers());
}

}  // namespace

TEST_CASE("install-config writes the installer's settings into a new machine config") {
    cti::test::TempDir dir;
    const auto file = dir.path / "cti-adapter" / "config.json";
    REQUIRE(write(file, {"11005", "https://acme.my.salesforce.com, https://Other.Example.com;https://x.example.com", "simulator"}));
    const auto json = read_json(file);
    CHECK(json["port"] == 11005);
    CHECK(json["allowed_origins"] ==
          nlohmann::json{"https://acme.my.salesforce.com", "https://Other.Example.com", "https://x.example.com"});
    CHECK(json["driver"] == "simulator");
    // The adapter reads it back as it is.
    const auto config = cti::load_config(file, true, cti::builtin_drivers()).value();
    CHECK(config.port == 11005);
    CHECK(config.allowed_origins.size() == 3);
}

TEST_CASE("install-config keeps what it is not given (an upgrade without properties)") {
    cti::test::TempDir dir;
    const auto file = fs::path(dir.write("config.json", R"({
        // IT's own addition
        "port": 12000, "log_level": "debug", "allowed_origins": ["https://a.example.com"]})"));
    const auto before = read_text(file);
    // Nothing given (the .deb's postinst): only read, so a conffile keeps its comments and dpkg
    // sees no change at the next upgrade.
    const auto config = cti::write_machine_config(file, {"", "", ""}, cti::builtin_drivers()).value();
    CHECK(read_text(file) == before);
    CHECK(config.port == 12000);
    CHECK(config.allowed_origins == std::vector<std::string>{"https://a.example.com"});

    REQUIRE(write(file, {"", "", "tapi"}));
    auto json = read_json(file);
    CHECK(json["log_level"] == "debug");
    CHECK(json["allowed_origins"] == nlohmann::json{"https://a.example.com"});
    CHECK(json["driver"] == "tapi");
    CHECK(json["port"] == 12000);
}

TEST_CASE("install-config refuses bad settings and writes nothing") {
    cti::test::TempDir dir;
    const auto file = fs::path(dir.write("config.json", R"({"port": 12000})"));
    CHECK_THAT(cti::test::error_message(write(file, {"abc", "", ""})), Catch::Contains("PORT (--port)") && Catch::Contains("\"abc\""));
    CHECK_THAT(cti::test::error_message(write(file, {"70000", "", ""})), Catch::Contains("1 to 65535"));
    CHECK_THAT(cti::test::error_message(write(file, {"", "https://crm.example.com/path", ""})), Catch::Contains("allowed_origins"));
    CHECK_THAT(cti::test::error_message(write(file, {"", "", "no-such-driver"})), Catch::Contains("driver"));
    CHECK(read_json(file) == nlohmann::json{{"port", 12000}});

    const auto broken = fs::path(dir.write("broken.json", "[1, 2]"));
    CHECK_THAT(cti::test::error_message(write(broken, {"11000", "", ""})), Catch::Contains("not a JSON object"));
}

TEST_CASE("install-config --remove deletes the file and its then empty folder") {
    cti::test::TempDir dir;
    const auto file = dir.path / "cti-adapter" / "config.json";
    REQUIRE(write(file, {"11000", "", ""}));
    REQUIRE(fs::exists(file));
    cti::remove_machine_config(file);
    CHECK_FALSE(fs::exists(file.parent_path()));

    // A folder holding something else stays.
    REQUIRE(write(file, {"11000", "", ""}));
    std::ofstream(file.parent_path() / "notes.txt") << "kept";
    cti::remove_machine_config(file);
    CHECK_FALSE(fs::exists(file));
    CHECK(fs::exists(file.parent_path() / "notes.txt"));
}
