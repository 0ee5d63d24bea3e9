// The `tapi` driver: a TAPI 2.x style line device, fed by the emulated telephony service
// provider (cti-tapi-provider) over a loopback socket. See docs/drivers/tapi.md.
#pragma once

#include "cti/driver_registry.hpp"

namespace cti {

DriverFactory tapi_driver_factory();

}  // namespace cti
