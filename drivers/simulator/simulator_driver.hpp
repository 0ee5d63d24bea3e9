// The built-in simulator: a fake phone system for demos, training and tests.
#pragma once

#include "cti/driver_registry.hpp"

namespace cti {

DriverFactory simulator_driver_factory();

}  // namespace cti
