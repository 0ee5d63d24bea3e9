// How the core finds a driver by the name given in the config's `driver` key.
//
// Each driver folder exposes one DriverFactory; the table generated from
// drivers/driver_table.cpp.in lists the built-in ones. The executable hands that table to the
// core, so the core itself names no vendor.
#pragma once

#include <memory>
#include <span>
#include <string_view>
#include <utility>

#include "cti/driver.hpp"
#include "cti/result.hpp"
#include "cti/settings.hpp"

namespace cti {

struct DriverFactory {
    std::string_view name;
    std::string_view description;
    // Reads the driver's own config section (an object, maybe empty) and builds the driver:
    // call reader.reject_unknown() when done, and build nothing when the reader has a problem
    // (return the reader's result(), which names the key).
    Result<std::unique_ptr<Driver>> (*create)(SettingsReader& settings);
};

// For a factory: the driver made from the settings read, or their problem.
template <typename DriverType, typename Settings>
Result<std::unique_ptr<Driver>> make_driver(Result<Settings> settings) {
    if (!settings) return fail(std::move(settings.error()));
    return std::unique_ptr<Driver>(std::make_unique<DriverType>(std::move(*settings)));
}

// The drivers compiled into this build (generated from drivers/driver_table.cpp.in).
std::span<const DriverFactory> builtin_drivers();

}  // namespace cti
