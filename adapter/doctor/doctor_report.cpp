#include "doctor/doctor_report.hpp"

#include <algorithm>

#include "version.hpp"

namespace cti {
namespace {

// Bumped only when a field changes meaning or goes away; new fields may appear at any time.
constexpr int report_shape_version = 1;

std::size_t count_with(const std::vector<CheckResult>& checks, CheckStatus status) {
    return static_cast<std::size_t>(std::count_if(checks.begin(), checks.end(),
                                                   [&](const auto& check) { return check.status == status; }));
}

// Continuation lines of a multi-line detail are indented under the first.
std::string indented(const std::string& text, const std::string& indent) {
    std::string result;
    for (char c : text) {
        result += c;
        if (c == '\n') result += indent;
    }
    return result;
}

}  // namespace

const char* to_string(CheckStatus status) {
    switch (status) {
        case CheckStatus::pass: return "pass";
        case CheckStatus::info: return "info";
        case CheckStatus::warn: return "warn";
        case CheckStatus::fail: return "fail";
    }
    return "fail";
}

bool DoctorReport::failed() const { return count_with(checks, CheckStatus::fail) > 0; }

CheckStatus DoctorReport::overall() const {
    auto worst = CheckStatus::pass;
    for (const auto& check : checks)
        if (check.status != CheckStatus::info && check.status > worst) worst = check.status;
    return worst;
}

nlohmann::json DoctorReport::to_json() const {
    auto list = nlohmann::json::array();
    for (const auto& check : checks)
        list.push_back({{"id", check.id}, {"title", check.title}, {"status", to_string(check.status)},
                        {"detail", check.detail}, {"remedy", check.remedy},
                        {"data", check.data.is_null() ? nlohmann::json::object() : check.data}});
    return {{"doctor", report_shape_version}, {"version", std::string(adapter_version)},
            {"result", to_string(overall())}, {"checks", std::move(list)}};
}

std::string DoctorReport::to_text() const {
    std::string text = "cti-adapter doctor " + std::string(adapter_version) + "\n";
    for (const auto& check : checks) {
        text += "[" + std::string(to_string(check.status)) + "] " + check.title + ": " +
                indented(check.detail, "       ") + "\n";
        if (!check.remedy.empty()) text += "       remedy: " + indented(check.remedy, "       ") + "\n";
    }
    text += "Result: " + std::string(to_string(overall())) + " (" +
            std::to_string(count_with(checks, CheckStatus::fail)) + " failed, " +
            std::to_string(count_with(checks, CheckStatus::warn)) + " warnings)\n";
    return text;
}

}  // namespace cti
