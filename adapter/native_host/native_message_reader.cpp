#include "native_host/native_message_reader.hpp"

#include <algorithm>
#include <cstring>

namespace cti {

void NativeMessageReader::append(std::string_view bytes) {
    if (pending_.empty() && skipping_ > 0) {
        // The body of a too big message: dropped as it comes, never kept.
        const auto dropped =
            static_cast<std::size_t>(std::min<std::uint64_t>(skipping_, bytes.size()));
        skipping_ -= dropped;
        bytes.remove_prefix(dropped);
    }
    pending_.append(bytes);
}

std::optional<NativeMessageReader::Message> NativeMessageReader::next() {
    if (skipping_ > 0) {
        const auto dropped =
            static_cast<std::size_t>(std::min<std::uint64_t>(skipping_, pending_.size()));
        pending_.erase(0, dropped);
        skipping_ -= dropped;
        if (skipping_ > 0) return std::nullopt;
    }
    if (pending_.size() < header_bytes) return std::nullopt;
    std::uint32_t length = 0;
    std::memcpy(&length, pending_.data(),
                header_bytes);  // native byte order, as the browsers write it
    if (length > limit_) {
        pending_.erase(0, header_bytes);
        skipping_ = length;
        return Message{{}, length, true};
    }
    if (pending_.size() - header_bytes < length) return std::nullopt;
    Message message{pending_.substr(header_bytes, length), length, false};
    pending_.erase(0, header_bytes + length);
    return message;
}

}  // namespace cti
