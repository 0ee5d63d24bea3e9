// The two cryptographic primitives pairing needs: random bytes from the operating system's
// CSPRNG and SHA-256. One implementation file per system: OpenSSL's libcrypto on Linux,
// CNG (bcrypt.dll) on Windows, where the cross-build has no OpenSSL.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

namespace cti::platform {

using Sha256Digest = std::array<unsigned char, 32>;

// `count` bytes from the system's cryptographically secure generator. Throws std::runtime_error
// when the generator fails (never falls back to a weaker source).
std::string secure_random_bytes(std::size_t count);

Sha256Digest sha256(std::string_view data);

}  // namespace cti::platform
