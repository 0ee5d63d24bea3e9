// doctor's "pairing" check: whether pages of the allowed origins need a token, and which of
// those origins have one yet (paired by the user, or preseeded by IT). "The screen pop stopped
// working" after a `pair revoke`, or on a desktop where nobody approved the page, shows here.
#pragma once

#include "config/config.hpp"
#include "doctor/doctor_report.hpp"

namespace cti {

// Reads the pairing file and the config only; never pairs or revokes anything.
CheckResult check_pairings(const Config& config);

}  // namespace cti
