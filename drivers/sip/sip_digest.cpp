#include "sip/sip_digest.hpp"

#include <cctype>
#include <cstdio>
#include <sstream>

#include <osipparser2/osip_md5.h>

namespace cti::sip {
namespace {

std::string lower(std::string text) {
    for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

// Whether a comma-separated qop option list (`auth,auth-int`) offers `wanted`.
bool offers(const std::string& options, const std::string& wanted) {
    std::stringstream list(options);
    std::string option;
    while (std::getline(list, option, ',')) {
        while (!option.empty() && option.front() == ' ') option.erase(0, 1);
        while (!option.empty() && option.back() == ' ') option.pop_back();
        if (lower(option) == wanted) return true;
    }
    return false;
}

}  // namespace

std::string md5_hex(const std::string& text) {
    osip_MD5_CTX context;
    osip_MD5Init(&context);
    std::string copy = text;  // libosip2's MD5Update takes a non-const pointer
    osip_MD5Update(&context, reinterpret_cast<unsigned char*>(copy.data()),
                   static_cast<unsigned int>(copy.size()));
    unsigned char digest[16];
    osip_MD5Final(digest, &context);
    static constexpr char hex[] = "0123456789abcdef";
    std::string result;
    for (unsigned char byte : digest) {
        result.push_back(hex[byte >> 4]);
        result.push_back(hex[byte & 0x0f]);
    }
    return result;
}

std::string digest_response(const DigestInput& in) {
    const auto ha1 = md5_hex(in.username + ":" + in.realm + ":" + in.password);
    const auto ha2 = md5_hex(in.method + ":" + in.uri);
    if (in.qop.empty()) return md5_hex(ha1 + ":" + in.nonce + ":" + ha2);
    return md5_hex(ha1 + ":" + in.nonce + ":" + in.nc + ":" + in.cnonce + ":" + in.qop + ":" + ha2);
}

std::string authorization_value(const Challenge& challenge, const std::string& username,
                                const std::string& password, const std::string& method,
                                const std::string& uri, const std::string& cnonce,
                                unsigned nonce_count) {
    if (!challenge.algorithm.empty() && lower(challenge.algorithm) != "md5") return {};
    DigestInput input{username, password, challenge.realm, challenge.nonce, method, uri, {}, {}, {}};
    if (!challenge.qop.empty()) {
        if (!offers(challenge.qop, "auth")) return {};
        char nc[9];
        std::snprintf(nc, sizeof nc, "%08x", nonce_count);
        input.qop = "auth";
        input.nc = nc;
        input.cnonce = cnonce;
    }
    // Quoted-string values: the inputs come from our settings and the challenge; a '"' or '\'
    // in them would need escaping, which RFC 2617 servers do not undo, so they are refused.
    for (const auto* value : {&username, &challenge.realm, &challenge.nonce, &uri, &challenge.opaque})
        if (value->find_first_of("\"\\\r\n") != std::string::npos) return {};
    std::string value = "Digest username=\"" + username + "\", realm=\"" + challenge.realm +
                        "\", nonce=\"" + challenge.nonce + "\", uri=\"" + uri + "\", response=\"" +
                        digest_response(input) + "\", algorithm=MD5";
    if (!input.qop.empty())
        value += ", cnonce=\"" + input.cnonce + "\", qop=auth, nc=" + input.nc;
    if (!challenge.opaque.empty()) value += ", opaque=\"" + challenge.opaque + "\"";
    return value;
}

}  // namespace cti::sip
