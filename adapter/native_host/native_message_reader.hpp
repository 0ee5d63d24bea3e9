// The browser's side of a native messaging channel, as the host reads it from stdin: each
// message is a 4-byte length in the machine's byte order, then that many bytes of UTF-8 JSON
// (Chromium's and Firefox's native messaging format).
//
// The browsers send up to 4 GB in one message; the host takes at most `limit` bytes. A bigger
// message is reported as soon as its length is read and its bytes are then read past, never
// held, so the next message is read as usual. Nothing here does I/O: the caller appends what it
// read and takes the messages out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cti {

class NativeMessageReader {
public:
    static constexpr std::size_t default_limit = 1024 * 1024;  // 1 MiB, the host's bound

    struct Message {
        std::string text;          // the message's bytes (empty when it is too big)
        std::uint32_t length = 0;  // the length its header gave
        bool too_big = false;      // over the limit: not kept, read past
    };

    explicit NativeMessageReader(std::size_t limit = default_limit) : limit_(limit) {}

    // Bytes as read from the channel. Take the messages out with next() after each append:
    // only what is not yet a whole message stays here.
    void append(std::string_view bytes);
    // The next whole message (or the report of a too big one), in order; nothing when the
    // bytes for it have not all arrived.
    std::optional<Message> next();
    // A message has begun and not ended: the channel closing now would cut it.
    bool mid_message() const { return skipping_ > 0 || !pending_.empty(); }
    std::size_t limit() const { return limit_; }

private:
    static constexpr std::size_t header_bytes = 4;

    std::size_t limit_;
    std::string pending_;         // bytes received and not yet taken out as messages
    std::uint64_t skipping_ = 0;  // bytes of a too big message still to read past
};

}  // namespace cti
