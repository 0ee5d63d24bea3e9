// Netstring framing (`<decimal length>:<payload>,`), the wire format of baresip's ctrl_tcp.
//
// The reader is fed whatever a socket read returned and hands back complete payloads. A frame
// may arrive in pieces, several may arrive in one read. A broken frame (a length that is not a
// number, too long, or a payload not followed by ',') cannot be resynchronised reliably, so the
// reader reports it and the connection is dropped and rebuilt by the driver.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace cti::baresip {

std::string encode_netstring(std::string_view payload);

class NetstringReader {
public:
    explicit NetstringReader(std::size_t max_payload = 1024 * 1024) : max_payload_(max_payload) {}

    void feed(std::string_view bytes) { buffer_.append(bytes); }

    // The next complete payload, or nullopt when more bytes are needed or the stream is broken.
    std::optional<std::string> next();

    bool broken() const { return !error_.empty(); }
    const std::string& error() const { return error_; }

private:
    std::optional<std::string> fail(std::string why);

    std::size_t max_payload_;
    std::string buffer_;
    std::string error_;
};

}  // namespace cti::baresip
