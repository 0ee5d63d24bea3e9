#include "sip/stream_framer.hpp"

#include <cstdlib>

#include <osipparser2/osip_parser.h>

#include "sip/sip_message.hpp"

namespace cti::sip {
namespace {

constexpr std::string_view end_of_headers = "\r\n\r\n";

// The Content-Length libosip2 reads from a header block (start line and headers, ending with
// the empty line). libosip2 parses the headers before the body, so a block whose body is not
// there yet still yields its Content-Length (the parse then only fails at the body). Without the
// header libosip2 reports 0. nullopt when it refuses the headers before reaching a length, or
// the value is not a plain number.
std::optional<std::size_t> content_length(std::string_view header_block) {
    ensure_parser_ready();
    osip_message_t* message = nullptr;
    if (osip_message_init(&message) != 0) return std::nullopt;
    const bool parsed = osip_message_parse(message, header_block.data(), header_block.size()) == 0;
    const char* value =
        message->content_length ? message->content_length->value : (parsed ? "0" : nullptr);
    std::optional<std::size_t> length;
    char* end = nullptr;
    if (value && *value) {
        const auto number = std::strtoul(value, &end, 10);
        if (*end == '\0') length = number;
    }
    osip_message_free(message);
    return length;
}

}  // namespace

void StreamFramer::append(std::string_view bytes) {
    if (!broken()) buffer_.append(bytes);
}

std::optional<std::string> StreamFramer::next() {
    if (broken()) return std::nullopt;
    skip_keepalives();
    const auto headers_end = buffer_.find(end_of_headers);
    if (headers_end == std::string::npos) {
        if (buffer_.size() > max_message_)
            return fail("a SIP header block longer than " + std::to_string(max_message_) +
                        " bytes");
        return std::nullopt;
    }
    const auto header_size = headers_end + end_of_headers.size();
    const auto body_size = content_length(std::string_view(buffer_).substr(0, header_size));
    if (!body_size)
        return fail(
            "a SIP message whose headers cannot be parsed, or whose Content-Length is not a "
            "number");
    if (header_size + *body_size > max_message_)
        return fail("a SIP message of " + std::to_string(header_size + *body_size) +
                    " bytes (the limit is " + std::to_string(max_message_) + ")");
    if (buffer_.size() < header_size + *body_size) return std::nullopt;
    auto message = buffer_.substr(0, header_size + *body_size);
    buffer_.erase(0, header_size + *body_size);
    return message;
}

void StreamFramer::skip_keepalives() {
    const auto first = buffer_.find_first_not_of("\r\n");
    buffer_.erase(0, first == std::string::npos ? buffer_.size() : first);
}

std::optional<std::string> StreamFramer::fail(std::string reason) {
    error_ = std::move(reason);
    buffer_.clear();
    return std::nullopt;
}

}  // namespace cti::sip
