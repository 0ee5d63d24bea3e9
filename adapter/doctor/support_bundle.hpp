// `cti-adapter doctor --bundle FILE`: one JSON file to attach to a support ticket. Its shape is
// documented in docs/TROUBLESHOOTING.md.
#pragma once

#include <filesystem>

#include <nlohmann/json.hpp>

#include "cti/result.hpp"
#include "doctor/doctor.hpp"

namespace cti {

// The bundle: the doctor's report, each config file with its secrets replaced, the running
// adapter's /status, and the end of the log with phone numbers masked.
nlohmann::json make_support_bundle(const Diagnosis& diagnosis);

// Writes make_support_bundle() to `file` (readable by its owner only). A file that cannot be
// written or restricted is a `failed` Error naming it.
Result<> write_support_bundle(const std::filesystem::path& file, const Diagnosis& diagnosis);

// `settings` with the value of every key that names a secret (password, secret, token,
// credential, api key, auth, session, cookie, ...) replaced by "(removed)", at any depth.
nlohmann::json without_secrets(nlohmann::json settings);

// `value` with every string, at any depth, passed through without_url_secrets.
nlohmann::json without_url_secrets_anywhere(nlohmann::json value);

// The bundle is JSON: "" when `file` is named so, else what to name it instead.
std::string bundle_name_problem(const std::filesystem::path& file);

}  // namespace cti
