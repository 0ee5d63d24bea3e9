// The host's side of a native messaging channel, towards the browser (stdout): each message a
// 4-byte length in the machine's byte order, then its JSON in UTF-8, flushed at once.
//
// The browsers take at most 1 MB in one message from a host and end the channel on a bigger
// one; such a message is not written at all, and the caller decides what to say instead.
#pragma once

#include <cstddef>
#include <ostream>

#include <nlohmann/json.hpp>

namespace cti {

class NativeMessageWriter {
public:
    static constexpr std::size_t max_message_bytes = 1024 * 1024;  // Chromium's limit from the host

    enum class Written { ok, too_big, failed };

    explicit NativeMessageWriter(std::ostream& out) : out_(out) {}

    // One message. too_big: over max_message_bytes, nothing written. failed: the stream broke
    // (the browser has gone).
    Written write(const nlohmann::json& message);

private:
    std::ostream& out_;
};

}  // namespace cti
