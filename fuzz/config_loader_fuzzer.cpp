// A config file as IT or a user may write it: every problem must be a ConfigError naming the
// file and key, never a crash or another exception.
#include <cstdint>
#include <string>

#include "config/config.hpp"
#include "cti/driver_registry.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        (void)cti::parse_config(text, "fuzz.json", cti::builtin_drivers());
    } catch (const cti::ConfigError&) {
        // the expected answer to a bad config
    }
    return 0;
}
