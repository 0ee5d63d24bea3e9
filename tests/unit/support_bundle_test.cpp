// What a support bundle may contain: no secrets, no full phone numbers.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include <spdlog/spdlog.h>

#include "../support/result_checks.hpp"
#include "../support/temp_dir.hpp"
#include "doctor/doctor_report.hpp"
#include "doctor/log_tail.hpp"
#include "doctor/support_bundle.hpp"
#include "doctor/url_redaction.hpp"

using nlohmann::json;

TEST_CASE("bundle: secrets are removed at any depth, other settings kept", "[doctor][bundle]") {
    const auto cleaned = cti::without_secrets(
        json{{"sip", {{"password", "p"}, {"user", "1001"}}}, {"api_token", "t"},
             {"accounts", {{{"Client_Secret", "s"}, {"host", "h"}}}}});
    CHECK(cleaned == json{{"sip", {{"password", "(removed)"}, {"user", "1001"}}}, {"api_token", "(removed)"},
                          {"accounts", {{{"Client_Secret", "(removed)"}, {"host", "h"}}}}});
}

TEST_CASE("bundle: keys that look like secrets go, whatever their spelling", "[doctor][bundle]") {
    const auto cleaned = cti::without_secrets(json{{"sip", {{"auth_user", "ops"}, {"user", "1001"}}},
                                                   {"ApiKey", "k"}, {"session_id", "s"}, {"Cookie", "c"},
                                                   {"tls", {{"key_passphrase", "p"}, {"certificate_file", "/c.pem"}}}});
    CHECK(cleaned == json{{"sip", {{"auth_user", "(removed)"}, {"user", "1001"}}}, {"ApiKey", "(removed)"},
                          {"session_id", "(removed)"}, {"Cookie", "(removed)"},
                          {"tls", {{"key_passphrase", "(removed)"}, {"certificate_file", "/c.pem"}}}});
}

TEST_CASE("bundle: URLs lose their user-info and parameter values, placeholders stay", "[doctor][bundle]") {
    using cti::without_url_secrets;
    CHECK(without_url_secrets("http://127.0.0.1:8089/lookup?apikey=K123&phone={number}") ==
          "http://127.0.0.1:8089/lookup?apikey=(removed)&phone={number}");
    CHECK(without_url_secrets("https://ops:hunter2@crm.example.com/r/{id}?session=S456#access_token=T789") ==
          "https://(removed)@crm.example.com/r/{id}?session=(removed)#access_token=(removed)");
    CHECK(without_url_secrets("lookup at http://localhost/x?a=1 failed; see https://b.example/#top") ==
          "lookup at http://localhost/x?a=(removed) failed; see https://b.example/#top");
    CHECK(without_url_secrets("\"https://u@h.example/?flag&k=\"") == "\"https://(removed)@h.example/?flag&k=\"");
    CHECK(without_url_secrets("no URL here: a=b?c=d") == "no URL here: a=b?c=d");
    CHECK(cti::without_url_secrets_anywhere(json{{"a", {{"b", {"https://h.example/?t=1"}}}}, {"n", 1}}) ==
          json{{"a", {{"b", {"https://h.example/?t=(removed)"}}}}, {"n", 1}});
}

TEST_CASE("bundle: phone numbers in log lines keep only their last 4 digits", "[doctor][bundle]") {
    spdlog::set_level(spdlog::level::info);  // masked() masks below debug
    CHECK(cti::mask_numbers("2026-11-21T06:14:46.443+00:00 [info] call c9afe9e4-1 inbound ringing +14155550123 -> 1001") ==
          "2026-11-21T06:14:46.443+00:00 [info] call c9afe9e4-1 inbound ringing +*******0123 -> 1001");
    CHECK(cti::mask_numbers("dial 914155550123 on port 11000") == "dial ********0123 on port 11000");
}

TEST_CASE("bundle: the file is named .json, as it is written", "[doctor][bundle]") {
    CHECK(cti::bundle_name_problem("/tmp/bundle.json").empty());
    CHECK_THAT(cti::bundle_name_problem("/tmp/bundle.zip"), Catch::Contains("name it bundle.json"));
    CHECK_FALSE(cti::bundle_name_problem("bundle").empty());
}

TEST_CASE("doctor report: the worst status decides, info never fails", "[doctor]") {
    cti::DoctorReport report;
    report.add({"browser", "browser notes", cti::CheckStatus::info, "", "", {}});
    CHECK(report.overall() == cti::CheckStatus::pass);
    report.add({"log", "log file", cti::CheckStatus::warn, "", "", {}});
    CHECK_FALSE(report.failed());
    CHECK(report.to_json()["result"] == "warn");
    report.add({"adapter", "adapter running", cti::CheckStatus::fail, "not running", "start it", {}});
    CHECK(report.failed());
    const auto text = report.to_text();
    CHECK_THAT(text, Catch::Contains("[fail] adapter running: not running\n       remedy: start it"));
    CHECK_THAT(text, Catch::Contains("Result: fail (1 failed, 1 warnings)"));
}

TEST_CASE("bundle: written as JSON that only its owner reads", "[doctor][bundle]") {
    cti::test::TempDir dir;
    const auto file = dir.path / "bundle.json";
    REQUIRE(cti::write_support_bundle(file, cti::Diagnosis{}));
    std::ifstream in(file);
    CHECK(json::parse(in)["bundle"] == 1);
    CHECK((std::filesystem::status(file).permissions() & std::filesystem::perms::all) ==
          (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
}

TEST_CASE("bundle: a file that cannot be written is a failure naming it", "[doctor][bundle]") {
    cti::test::TempDir dir;
    const auto file = dir.path / "no-such-folder" / "bundle.json";
    const auto written = cti::write_support_bundle(file, cti::Diagnosis{});
    CHECK(cti::test::error_message(written, cti::ErrorKind::failed) ==
          "cannot write the support bundle " + file.string());
    CHECK_FALSE(std::filesystem::exists(file));
}
