// The byte stream from baresip's ctrl_tcp: netstrings cut into reads of varying size (the
// first byte picks the size), each payload decoded as a control message and its data read as
// the driver reads `listcalls`, `callstat` and `reginfo` answers.
#include <algorithm>
#include <cstdint>
#include <string_view>

#include "baresip/ctrl_message.hpp"
#include "baresip/menu_output.hpp"
#include "baresip/netstring.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace cti::baresip;
    if (size == 0) return 0;
    const std::size_t chunk = data[0] % 32 + 1;
    const std::string_view stream(reinterpret_cast<const char*>(data + 1), size - 1);
    NetstringReader reader(4096);
    for (std::size_t at = 0; at < stream.size() && !reader.broken(); at += chunk) {
        reader.feed(stream.substr(at, std::min(chunk, stream.size() - at)));
        while (auto payload = reader.next()) {
            auto message = decode_ctrl_message(*payload);
            if (auto* response = std::get_if<CtrlResponse>(&message)) {
                (void)parse_listcalls(response->data);
                (void)parse_callstat(response->data);
                (void)parse_reginfo(response->data);
            }
        }
    }
    return 0;
}
