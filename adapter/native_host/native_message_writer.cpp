#include "native_host/native_message_writer.hpp"

#include <cstdint>
#include <cstring>
#include <string>

namespace cti {

NativeMessageWriter::Written NativeMessageWriter::write(const nlohmann::json& message) {
    // Frames from the adapter are UTF-8; should one not be, it must not stop the channel.
    const auto text = message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (text.size() > max_message_bytes) return Written::too_big;
    const auto length = static_cast<std::uint32_t>(text.size());
    char header[sizeof length];
    std::memcpy(header, &length, sizeof length);  // native byte order, as the browsers read it
    out_.write(header, sizeof header);
    out_.write(text.data(), static_cast<std::streamsize>(text.size()));
    out_.flush();
    return out_ ? Written::ok : Written::failed;
}

}  // namespace cti
