// doctor's "tls" check: is wss:// on, which certificate, what it names, when it expires.
#pragma once

#include "config/config.hpp"
#include "doctor/doctor_report.hpp"

namespace cti {

// Reads the certificate files only; never makes or changes one (the adapter does, at start).
CheckResult check_tls(const Config& config);

}  // namespace cti
