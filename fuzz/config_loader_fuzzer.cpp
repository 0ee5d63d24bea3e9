// A config file as IT or a user may write it: every problem must be a failed Result whose
// message names the file (and the key), never a crash or an exception.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "config/config.hpp"
#include "cti/driver_registry.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    const auto config = cti::parse_config(text, "fuzz.json", cti::builtin_drivers());
    if (!config && config.error().message.rfind("fuzz.json: ", 0) != 0) std::abort();
    return 0;
}
