// Cuts a SIP byte stream (TCP) into messages, as RFC 3261 18.3 frames them: the headers end at
// the first empty line and the body is exactly Content-Length bytes long.
//
// Content-Length is read by libosip2 from the header block, never by a hand-written grammar.
// Anything that cannot be framed (a header block libosip2 refuses, a Content-Length that is not
// a number, a message over the size limit) breaks the stream for good: the connection has lost
// its place and must be reset.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace cti::sip {

class StreamFramer {
public:
    explicit StreamFramer(std::size_t max_message = 65535) : max_message_(max_message) {}

    void append(std::string_view bytes);
    // The next whole message, or nullopt when more bytes are needed or the stream is broken.
    // CRLFs between messages (RFC 5626 keepalives) are skipped.
    std::optional<std::string> next();

    bool broken() const { return !error_.empty(); }
    const std::string& error() const { return error_; }  // why the stream broke
    std::size_t buffered() const { return buffer_.size(); }

private:
    std::optional<std::string> fail(std::string reason);
    void skip_keepalives();

    std::size_t max_message_;
    std::string buffer_;
    std::string error_;
};

}  // namespace cti::sip
