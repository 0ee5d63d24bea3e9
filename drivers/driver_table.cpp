// The drivers compiled into this build. Adding a driver: one line here, one add_subdirectory.
#include "cti/driver_registry.hpp"
#include "simulator/simulator_driver.hpp"

namespace cti {

std::span<const DriverFactory> builtin_drivers() {
    static const DriverFactory table[] = {
        simulator_driver_factory(),
    };
    return table;
}

}  // namespace cti
