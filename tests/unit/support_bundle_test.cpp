// What a support bundle may contain: no secrets, no full phone numbers.
#include <catch2/catch.hpp>

#include <spdlog/spdlog.h>

#include "doctor/doctor_report.hpp"
#include "doctor/log_tail.hpp"
#include "doctor/support_bundle.hpp"

using nlohmann::json;

TEST_CASE("bundle: secrets are removed at any depth, other settings kept", "[doctor][bundle]") {
    const auto cleaned = cti::without_secrets(
        json{{"sip", {{"password", "p"}, {"user", "1001"}}}, {"api_token", "t"},
             {"accounts", {{{"Client_Secret", "s"}, {"host", "h"}}}}});
    CHECK(cleaned == json{{"sip", {{"password", "(removed)"}, {"user", "1001"}}}, {"api_token", "(removed)"},
                          {"accounts", {{{"Client_Secret", "(removed)"}, {"host", "h"}}}}});
}

TEST_CASE("bundle: phone numbers in log lines keep only their last 4 digits", "[doctor][bundle]") {
    spdlog::set_level(spdlog::level::info);  // masked() masks below debug
    CHECK(cti::mask_numbers("2026-11-21T06:14:46.443+00:00 [info] call c9afe9e4-1 inbound ringing +14155550123 -> 1001") ==
          "2026-11-21T06:14:46.443+00:00 [info] call c9afe9e4-1 inbound ringing +*******0123 -> 1001");
    CHECK(cti::mask_numbers("dial 914155550123 on port 11000") == "dial ********0123 on port 11000");
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
