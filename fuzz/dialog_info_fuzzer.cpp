// The body of a dialog-event NOTIFY (RFC 4235): parsed, then applied to a monitor twice (the
// second time as a newer version), so the state tracking sees whatever the parser accepts.
#include <cstdint>
#include <string_view>

#include "sip/dialog_info.hpp"
#include "sip/dialog_monitor.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace cti::sip;
    const std::string_view xml(reinterpret_cast<const char*>(data), size);
    auto info = parse_dialog_info(xml);
    if (!info) return 0;
    DialogMonitor monitor;
    (void)monitor.apply(*info);
    info->version += 1;
    (void)monitor.apply(*info);
    return 0;
}
