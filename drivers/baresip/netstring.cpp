#include "baresip/netstring.hpp"

namespace cti::baresip {

std::string encode_netstring(std::string_view payload) {
    std::string frame = std::to_string(payload.size());
    frame += ':';
    frame += payload;
    frame += ',';
    return frame;
}

std::optional<std::string> NetstringReader::next() {
    if (broken()) return std::nullopt;
    // The length prefix: digits up to ':'. Enough digits for max_payload_ and one more.
    const std::size_t max_digits = std::to_string(max_payload_).size();
    std::size_t length = 0;
    std::size_t pos = 0;
    for (; pos < buffer_.size() && buffer_[pos] != ':'; ++pos) {
        const char c = buffer_[pos];
        if (c < '0' || c > '9') return fail("bad netstring length prefix");
        if (pos >= max_digits) return fail("netstring length prefix too long");
        length = length * 10 + static_cast<std::size_t>(c - '0');
    }
    if (length > max_payload_) return fail("netstring frame of " + std::to_string(length) + " bytes is too large");
    if (pos == buffer_.size()) return std::nullopt;  // the prefix is not complete yet
    if (pos == 0) return fail("empty netstring length prefix");
    const std::size_t payload_start = pos + 1;
    if (buffer_.size() < payload_start + length + 1) return std::nullopt;
    if (buffer_[payload_start + length] != ',') return fail("netstring frame not terminated by ','");
    std::string payload = buffer_.substr(payload_start, length);
    buffer_.erase(0, payload_start + length + 1);
    return payload;
}

std::optional<std::string> NetstringReader::fail(std::string why) {
    error_ = std::move(why);
    buffer_.clear();
    return std::nullopt;
}

}  // namespace cti::baresip
