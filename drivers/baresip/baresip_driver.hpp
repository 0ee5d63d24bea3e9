// The baresip driver: a softphone on the agent's desktop, controlled over its ctrl_tcp module
// (docs/drivers/baresip.md).
#pragma once

#include "cti/driver_registry.hpp"

namespace cti {

DriverFactory baresip_driver_factory();

}  // namespace cti
