// Files with calls in them (issue 14, section 6): the call-log journal with its WAL and SHM, the
// log, and the folders that hold them are the user's alone (0600 and 0700), whether the adapter
// makes them or an earlier version left them readable.
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "support/user_adapter.hpp"

using namespace cti::test;
namespace fs = std::filesystem;

namespace {

constexpr auto private_file = fs::perms::owner_read | fs::perms::owner_write;
constexpr auto private_folder = fs::perms::owner_all;

std::string octal(fs::perms mode) {
    char text[8];
    std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & fs::perms::mask));
    return text;
}

// The mode as `ls -l` would show it; "missing" when the path does not exist.
std::string mode_of(const fs::path& path) {
    std::error_code ec;
    const auto status = fs::symlink_status(path, ec);
    if (ec || !fs::exists(status)) return "missing";
    return octal(status.permissions());
}

fs::path data_folder(const UserHome& home) { return home.dir.path / "data" / "cti-adapter"; }
fs::path journal(const UserHome& home) { return data_folder(home) / "call-log.sqlite3"; }
fs::path companion(const fs::path& file, const char* suffix) { return file.string() + suffix; }

// Port 0 and the default paths: the journal and the log go where a user's would.
std::string config_file(const UserHome& home) {
    return home.dir.write("c.json", nlohmann::json{{"port", 0}, {"port_fallbacks", nlohmann::json::array()}}.dump());
}

}  // namespace

TEST_CASE("the call log, its WAL and SHM, the log and their folders are the user's alone", "[files][security]") {
    UserHome home;
    UserAdapter adapter(home, {"--config", config_file(home)});
    // While it runs: SQLite removes the WAL and SHM files when the last connection closes.
    for (const auto& file : {journal(home), companion(journal(home), "-wal"), companion(journal(home), "-shm"),
                             home.log_file(), home.discovery_file()}) {
        INFO(file);
        CHECK(mode_of(file) == octal(private_file));
    }
    for (const auto& folder : {home.dir.path / "data", data_folder(home), home.dir.path / "state",
                               home.log_file().parent_path(), home.runtime_dir()}) {
        INFO(folder);
        CHECK(mode_of(folder) == octal(private_folder));
    }
    CHECK(adapter.stop() == 0);
    CHECK(mode_of(journal(home)) == octal(private_file));
    CHECK(mode_of(home.log_file()) == octal(private_file));
}

TEST_CASE("a journal and a log that an earlier version left readable are tightened on start", "[files][security]") {
    UserHome home;
    constexpr auto readable_file = private_file | fs::perms::group_read | fs::perms::others_read;
    constexpr auto open_folder = private_folder | fs::perms::group_read | fs::perms::group_exec |
                                 fs::perms::others_read | fs::perms::others_exec;
    fs::create_directories(data_folder(home));
    fs::create_directories(home.log_file().parent_path());
    // An empty file is an empty SQLite database; a WAL of zero bytes holds no frames.
    for (const auto& file : {journal(home), companion(journal(home), "-wal"), home.log_file()}) {
        std::ofstream{file};
        fs::permissions(file, readable_file, fs::perm_options::replace);
    }
    for (const auto& folder : {data_folder(home), home.log_file().parent_path()})
        fs::permissions(folder, open_folder, fs::perm_options::replace);

    UserAdapter adapter(home, {"--config", config_file(home)});
    for (const auto& file : {journal(home), companion(journal(home), "-wal"), companion(journal(home), "-shm"),
                             home.log_file()}) {
        INFO(file);
        CHECK(mode_of(file) == octal(private_file));
    }
    for (const auto& folder : {data_folder(home), home.log_file().parent_path()}) {
        INFO(folder);
        CHECK(mode_of(folder) == octal(private_folder));
    }
    CHECK(adapter.stop() == 0);
    // Said once in the log, with the mode it had, so an administrator sees why it changed.
    std::ifstream log(home.log_file());
    const std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
    CHECK_THAT(text, Catch::Contains("made " + journal(home).string() + " private: mode 0600 (it was 0644"));
    CHECK_THAT(text, Catch::Contains("made " + data_folder(home).string() + " private: mode 0700 (it was 0755"));
}
