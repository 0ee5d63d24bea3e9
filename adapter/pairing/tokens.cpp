#include "pairing/tokens.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>

#include "platform/crypto.hpp"

namespace cti::pairing {
namespace {

constexpr std::size_t token_bytes = 32;

std::string to_hex(std::string_view bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string text;
    text.reserve(bytes.size() * 2);
    for (char c : bytes) {
        const auto byte = static_cast<unsigned char>(c);
        text.push_back(digits[byte >> 4]);
        text.push_back(digits[byte & 0x0f]);
    }
    return text;
}

std::string base64url(std::string_view bytes) {
    static constexpr char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string text;
    std::uint32_t bits = 0;
    int count = 0;
    for (char c : bytes) {
        bits = (bits << 8) | static_cast<unsigned char>(c);
        count += 8;
        while (count >= 6) {
            count -= 6;
            text.push_back(alphabet[(bits >> count) & 0x3f]);
        }
    }
    if (count > 0) text.push_back(alphabet[(bits << (6 - count)) & 0x3f]);
    return text;
}

}  // namespace

std::string new_token() { return base64url(platform::secure_random_bytes(token_bytes)); }

std::string token_sha256_hex(std::string_view token) {
    const auto digest = platform::sha256(token);
    return to_hex(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

bool is_sha256_hex(std::string_view text) {
    return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
               return std::isxdigit(static_cast<unsigned char>(c)) != 0;
           });
}

bool equal_in_constant_time(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;  // sizes are public (always 64 hex digits here)
    unsigned char difference = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        difference |= static_cast<unsigned char>(a[i] ^ b[i]);
    return difference == 0;
}

std::string new_short_id() { return to_hex(platform::secure_random_bytes(4)); }

std::string new_pairing_code() {
    // Rejection sampling: 32-bit values at or above the largest multiple of 10^6 would make
    // the low codes slightly likelier.
    constexpr std::uint32_t range = 1'000'000;
    constexpr std::uint32_t limit = UINT32_MAX - UINT32_MAX % range;
    for (;;) {
        const auto bytes = platform::secure_random_bytes(4);
        std::uint32_t value = 0;
        for (char c : bytes) value = (value << 8) | static_cast<unsigned char>(c);
        if (value >= limit) continue;
        auto code = std::to_string(value % range);
        return std::string(6 - code.size(), '0') + code;
    }
}

}  // namespace cti::pairing
