// Pairing tokens and what is made from them: the token itself (256 random bits, base64url),
// its SHA-256 (the only form ever stored), short ids and the 6-digit code a user compares.
#pragma once

#include <string>
#include <string_view>

namespace cti::pairing {

// 32 bytes from the system CSPRNG as base64url without padding (43 characters).
std::string new_token();

// Lower-case hex of the token's SHA-256: what the store and `pairing.preseeded` hold.
std::string token_sha256_hex(std::string_view token);

// True when `text` is 64 hex digits (either case).
bool is_sha256_hex(std::string_view text);

// Compares without an early exit, so the time taken says nothing about where they differ.
bool equal_in_constant_time(std::string_view a, std::string_view b);

// 8 random hex digits: the id a pairing or a pending request is listed and revoked by.
std::string new_short_id();

// 6 random decimal digits (uniform), shown on the asking page and on /pair.
std::string new_pairing_code();

}  // namespace cti::pairing
