// `cti-adapter tls show|renew`: the certificate wss:// is served with, and a new own one.
#pragma once

#include "config/config.hpp"

namespace cti {

// Prints what doctor's "tls" check finds (as JSON with `json`), plus the SPKI hash that
// Chrome's --ignore-certificate-errors-spki-list takes. Returns the exit code.
int show_tls(const Config& config, bool json);

// Replaces the adapter's own key and certificate (not IT's: that is an error) and prints the
// new one. A running adapter uses it from its next start. Returns the exit code.
int renew_tls(const Config& config, bool json);

}  // namespace cti
