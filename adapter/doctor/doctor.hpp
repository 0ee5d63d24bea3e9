// `cti-adapter doctor`: support's first look at a desktop where "the screen pop stopped working".
// Every check says what it found and, when something is wrong, what to do.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <span>
#include <string>

#include <nlohmann/json.hpp>

#include "config/config.hpp"
#include "cti/driver_registry.hpp"
#include "doctor/doctor_report.hpp"

namespace cti {

struct DoctorOptions {
    std::string config_file;               // --config: exactly this file; empty: the layered files
    std::filesystem::path machine_config;  // used when config_file is empty
    std::filesystem::path user_config;
    std::filesystem::path discovery_file;
    std::chrono::milliseconds timeout{2000};  // for each question to a running adapter
    std::filesystem::path policy_root = "/";  // where the browsers' policy folders are looked for
};

// The report and what it was made from, for the support bundle.
struct Diagnosis {
    DoctorReport report;
    std::optional<Config> config;  // nullopt when the config is invalid
    nlohmann::json status;         // the running adapter's /status; null when none answered
};

Diagnosis run_doctor(const DoctorOptions& options, std::span<const DriverFactory> drivers);

}  // namespace cti
