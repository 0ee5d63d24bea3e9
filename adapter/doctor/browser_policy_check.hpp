// doctor's "browser_policies" check: per installed browser, whether a managed policy
// pre-approves each allowed CRM origin for local network access, so its page reaches the
// adapter with no prompt (and, for the Chromium family, from inside a cross-origin iframe).
// Not covered is a note, not a fault: the agent can still allow the site at the prompt.
#pragma once

#include <filesystem>

#include "config/config.hpp"
#include "doctor/doctor_report.hpp"

namespace cti {

// Reads the policy files under `policy_root` ("/" on a real system); writes nothing.
CheckResult check_browser_policies(const Config& config, const std::filesystem::path& policy_root);

}  // namespace cti
