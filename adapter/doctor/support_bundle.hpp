// `cti-adapter doctor --bundle FILE`: one JSON file to attach to a support ticket. Its shape is
// documented in docs/TROUBLESHOOTING.md.
#pragma once

#include <filesystem>

#include <nlohmann/json.hpp>

#include "doctor/doctor.hpp"

namespace cti {

// The bundle: the doctor's report, each config file with its secrets replaced, the running
// adapter's /status, and the end of the log with phone numbers masked.
nlohmann::json make_support_bundle(const Diagnosis& diagnosis);

// Writes make_support_bundle() to `file` (readable by its owner only). Throws std::exception.
void write_support_bundle(const std::filesystem::path& file, const Diagnosis& diagnosis);

// `settings` with the value of every key that names a secret (password, secret, token,
// credential) replaced by "(removed)", at any depth.
nlohmann::json without_secrets(nlohmann::json settings);

}  // namespace cti
