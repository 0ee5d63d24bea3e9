// The emulated TAPI provider's inputs: a script file (parsed as a whole) and, line by line, the
// provider's messages to the driver and the driver's operations to the provider. Bad lines must be errors, never crashes.
#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "tapi/provider_messages.hpp"
#include "tapi/provider_script.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace cti::tapi;
    const std::string text(reinterpret_cast<const char*>(data), size);
    std::istringstream script(text);
    (void)parse_script(script);  // a bad script is an Error, never a crash
    std::string_view rest(text);
    while (!rest.empty()) {
        const auto end = rest.find('\n');
        const auto line = rest.substr(0, end);
        (void)parse_provider_message(line);
        // The provider's side: the driver's operations (lineMakeCall, ...) as it decodes them.
        auto object = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
        if (object.is_object() && object.contains("op")) (void)parse_operation(object);
        rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
    }
    return 0;
}
