#include <catch2/catch.hpp>

#include "settings/settings_json.hpp"
#include "dial_plan/dial_plan.hpp"
#include "support/result_checks.hpp"

using namespace cti;

namespace {

DialPlanSettings us_office() {
    DialPlanSettings settings;
    settings.country_code = "1";
    settings.outside_line_prefix = "9";
    settings.long_distance_prefix = "1";
    settings.international_prefix = "011";
    settings.deny = {"+1900", "+1976"};
    return settings;
}

std::string dialled(const DialPlan& plan, const std::string& number) {
    auto result = plan.apply(number);
    REQUIRE(std::holds_alternative<std::string>(result));
    return std::get<std::string>(result);
}

std::string refusal(const DialPlan& plan, const std::string& number) {
    auto result = plan.apply(number);
    REQUIRE(std::holds_alternative<DialRefused>(result));
    return std::get<DialRefused>(result).message;
}

}  // namespace

TEST_CASE("dial plan: without settings numbers pass unchanged", "[dial_plan]") {
    DialPlan plan{DialPlanSettings{}};
    CHECK(dialled(plan, "+14155550123") == "+14155550123");
    CHECK(dialled(plan, "1001") == "1001");
}

TEST_CASE("dial plan: national international and internal numbers get their prefixes", "[dial_plan]") {
    DialPlan plan{us_office()};
    CHECK(dialled(plan, "+14155550123") == "914155550123");   // outside + long distance + national
    CHECK(dialled(plan, "+442071234567") == "9011442071234567");  // outside + international
    CHECK(dialled(plan, "1001") == "1001");                    // an extension: as is
    CHECK(dialled(plan, "4155550123") == "94155550123");       // a local number: outside line
}

TEST_CASE("dial plan: denied prefixes are refused in either form and the message names the rule", "[dial_plan]") {
    DialPlan plan{us_office()};
    CHECK(refusal(plan, "+19005550100").find("+1900") != std::string::npos);
    CHECK(refusal(plan, "19765550100").find("+1976") != std::string::npos);  // national form, same number
    CHECK(refusal(plan, "+19005550100").find("dial_plan.deny") != std::string::npos);
}

TEST_CASE("dial plan: an allow list admits only its prefixes", "[dial_plan]") {
    auto settings = us_office();
    settings.allow = {"+1", "1001"};
    DialPlan plan{settings};
    CHECK(dialled(plan, "+14155550123") == "914155550123");
    CHECK(dialled(plan, "1001") == "1001");
    CHECK(refusal(plan, "+442071234567").find("dial_plan.allow") != std::string::npos);
}

TEST_CASE("dial plan: settings are validated with the key named", "[dial_plan]") {
    // The settings as the reader's result: its first problem, if any.
    auto read = [](const char* text) {
        const auto json = nlohmann::json::parse(text);
        auto reader = settings_reader(json, "dial_plan");
        auto settings = DialPlanSettings::read(reader);
        return reader.result(std::move(settings));
    };
    CHECK(read(R"({"country_code": "44", "deny": ["+44909"]})")->deny.size() == 1);
    CHECK_THAT(test::error_message(read(R"({"country_code": "+44"})")), Catch::Contains("dial_plan.country_code"));
    CHECK_THAT(test::error_message(read(R"({"deny": ["09*x"]})")), Catch::Contains("dial_plan.deny[0]"));
    CHECK_THAT(test::error_message(read(R"({"outside": "9"})")),
               Catch::Contains("dial_plan.outside") && Catch::Contains("unknown key"));
}
