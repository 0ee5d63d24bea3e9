// The adapter's small files that can fail for a reason outside the program (a folder that is a
// file, a file that is not what it should be): each failure is a Result whose kind the caller
// decides by and whose message names the file.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "cli/machine_config.hpp"
#include "config/json_object_file.hpp"
#include "cti/driver_registry.hpp"
#include "logging/logging.hpp"
#include "pairing/pairing_store.hpp"
#include "platform/file_replacement.hpp"
#include "service/discovery_file.hpp"
#include "support/result_checks.hpp"
#include "support/temp_dir.hpp"

using namespace cti;
using test::error_message;
namespace fs = std::filesystem;

namespace {

// A regular file where a folder should be: no folder can be made at or under it, also as root.
fs::path blocked_folder(const test::TempDir& dir) { return dir.write("not-a-folder", "a file"); }

}  // namespace

TEST_CASE("a JSON object file that is missing is not_found, naming it", "[files]") {
    test::TempDir dir;
    const auto file = dir.path / "missing.json";
    CHECK(error_message(read_json_object_file(file, JsonComments::refused), ErrorKind::not_found) ==
          file.string() + ": does not exist");
}

TEST_CASE("a JSON file that holds no object is invalid_input, naming it", "[files]") {
    test::TempDir dir;
    for (const auto* text : {"[1, 2]", "{\"a\": ", ""}) {
        const auto file = dir.write("policy.json", text);
        CHECK(error_message(read_json_object_file(file, JsonComments::allowed)) == file + ": not a JSON object");
    }
}

TEST_CASE("comments in a JSON object file are taken only where its reader takes them", "[files]") {
    test::TempDir dir;
    const auto file = dir.write("config.json", "{\n  // IT's note\n  \"port\": 11000\n}");
    CHECK(read_json_object_file(file, JsonComments::allowed).value()["port"] == 11000);
    CHECK(error_message(read_json_object_file(file, JsonComments::refused)) == file + ": not a JSON object");
}

TEST_CASE("a folder that cannot be made is failed, naming the folder", "[files]") {
    test::TempDir dir;
    const auto folder = blocked_folder(dir) / "sub";
    CHECK_THAT(error_message(platform::create_folder(folder), ErrorKind::failed),
               Catch::StartsWith(folder.string() + ": cannot create the folder: "));
}

TEST_CASE("a file replaced through its partial file leaves no partial file behind", "[files]") {
    test::TempDir dir;
    const auto file = dir.path / "record.json";
    REQUIRE(platform::replace_file(file, "old", ".partial"));
    REQUIRE(platform::replace_file(file, "new", ".partial", fs::perms::owner_read | fs::perms::owner_write));
    std::ifstream in(file);
    std::string text;
    in >> text;
    CHECK(text == "new");
    CHECK((fs::status(file).permissions() & (fs::perms::group_all | fs::perms::others_all)) == fs::perms::none);
    CHECK_FALSE(fs::exists(dir.path / "record.json.partial"));
}

TEST_CASE("a file that cannot be replaced is failed, naming the file", "[files]") {
    test::TempDir dir;
    SECTION("its folder is missing: the partial file cannot be written") {
        const auto file = dir.path / "missing" / "record.json";
        CHECK(error_message(platform::replace_file(file, "{}", ".tmp"), ErrorKind::failed) ==
              file.string() + ".tmp: cannot write the file");
    }
    SECTION("a folder stands where the file goes: the rename fails, and the partial file goes") {
        const auto file = dir.path / "record.json";
        fs::create_directories(file / "inside");
        CHECK_THAT(error_message(platform::replace_file(file, "{}", ".tmp"), ErrorKind::failed),
                   Catch::StartsWith(file.string() + ": cannot replace it with " + file.string() + ".tmp: "));
        CHECK_FALSE(fs::exists(file.string() + ".tmp"));
    }
}

TEST_CASE("a discovery file that cannot be written is failed, naming its folder", "[files]") {
    test::TempDir dir;
    const auto folder = blocked_folder(dir) / "runtime";
    const DiscoveryFile discovery(folder / "adapter.json");
    CHECK_THAT(error_message(discovery.publish({42, 11000, "1.0", "2026-12-06T13:00:00Z"}), ErrorKind::failed),
               Catch::StartsWith(folder.string() + ": cannot create the folder"));
}

TEST_CASE("a discovery file is published and read back", "[files]") {
    test::TempDir dir;
    const DiscoveryFile discovery(dir.path / "runtime" / "adapter.json");
    REQUIRE(discovery.publish({42, 11000, "1.0", "2026-12-06T13:00:00Z"}));
    const auto record = discovery.read();
    REQUIRE(record);
    CHECK(record->pid == 42);
    CHECK(record->port == 11000);
}

TEST_CASE("pairings that cannot be saved are failed, naming the file", "[files][pairing]") {
    test::TempDir dir;
    const auto file = dir.path / "pairings.json";
    fs::create_directories(file / "inside");  // a folder where the file goes
    const PairingStore store(file);
    const std::vector<Pairing> pairings{{"p1", "https://crm.example.com", "CRM", std::string(64, 'a'), "", "", false}};
    CHECK_THAT(error_message(store.save(pairings), ErrorKind::failed), Catch::StartsWith(file.string() + ": "));
}

TEST_CASE("install-config: a machine config that cannot be written is failed, naming the file", "[files][install_config]") {
    test::TempDir dir;
    const auto file = blocked_folder(dir) / "config.json";
    CHECK_THAT(error_message(write_machine_config(file, {"11005", "", ""}, builtin_drivers()), ErrorKind::failed),
               Catch::StartsWith(file.string() + ": cannot create its folder"));
}

TEST_CASE("install-config: a machine config that is not a JSON object is left for IT to fix", "[files][install_config]") {
    test::TempDir dir;
    const auto file = dir.write("config.json", "[]");
    CHECK(error_message(write_machine_config(file, {"11005", "", ""}, builtin_drivers())) ==
          file + ": not a JSON object; fix or delete it before installing");
}

TEST_CASE("a log file that cannot be made is failed, naming the file", "[files][logging]") {
    test::TempDir dir;
    LogOptions options;
    options.console = false;
    options.file = (blocked_folder(dir) / "logs" / "adapter.log").string();
    CHECK_THAT(error_message(setup_logging(options), ErrorKind::failed),
               Catch::StartsWith("cannot write the log file " + options.file + ": cannot create the folder"));
}
