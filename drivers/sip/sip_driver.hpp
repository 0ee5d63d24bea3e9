// The SIP deskphone driver: registers to the PBX as a SIP user agent and reports the calls of
// the agent's extension (see docs/drivers/sip.md).
#pragma once

#include "cti/driver_registry.hpp"

namespace cti {

DriverFactory sip_driver_factory();

}  // namespace cti
