// HTTP digest authentication as SIP uses it (RFC 2617 / RFC 3261 section 22), MD5 only.
#pragma once

#include <string>

#include "sip/sip_message.hpp"

namespace cti::sip {

struct DigestInput {
    std::string username;
    std::string password;
    std::string realm;
    std::string nonce;
    std::string method;
    std::string uri;
    std::string qop;     // "" (RFC 2069 style) or "auth"
    std::string nc;      // with qop: 8 hex digits, e.g. "00000001"
    std::string cnonce;  // with qop
};

std::string md5_hex(const std::string& text);

// The `response` value: MD5(HA1:nonce[:nc:cnonce:qop]:HA2).
std::string digest_response(const DigestInput& input);

// The whole Authorization / Proxy-Authorization value answering `challenge`: picks qop=auth when
// offered, else none. Empty when the challenge asks for something other than MD5 or for
// auth-int only (the caller then reports an authentication failure).
std::string authorization_value(const Challenge& challenge, const std::string& username,
                                const std::string& password, const std::string& method,
                                const std::string& uri, const std::string& cnonce,
                                unsigned nonce_count);

}  // namespace cti::sip
