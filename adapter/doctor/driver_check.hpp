// doctor's "driver" check: what the driver's status (from the running adapter's /status, or
// from doctor's own short trial) says about the phone system. Vendor-neutral: the driver's
// own detail says what it waits for (e.g. a SIP dialog subscription not confirmed yet).
#pragma once

#include <nlohmann/json.hpp>

#include "doctor/doctor_report.hpp"

namespace cti {

// Fills `check` from a driver status object {"name", "status", "detail"}: connected passes;
// connecting (the phone system has not confirmed everything the driver asked for: calls may
// not pop yet) warns; anything else fails.
void describe_driver(const nlohmann::json& driver, CheckResult& check);

}  // namespace cti
