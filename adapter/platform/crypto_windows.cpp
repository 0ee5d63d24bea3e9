#include "platform/crypto.hpp"

#include <windows.h>

#include <bcrypt.h>

#include <stdexcept>

namespace cti::platform {
namespace {

bool succeeded(NTSTATUS status) { return status >= 0; }

}  // namespace

std::string secure_random_bytes(std::size_t count) {
    std::string bytes(count, '\0');
    if (!succeeded(::BCryptGenRandom(nullptr, reinterpret_cast<PUCHAR>(bytes.data()),
                                     static_cast<ULONG>(count), BCRYPT_USE_SYSTEM_PREFERRED_RNG)))
        throw std::runtime_error("the system's random generator failed (BCryptGenRandom)");
    return bytes;
}

Sha256Digest sha256(std::string_view data) {
    Sha256Digest digest{};
    BCRYPT_ALG_HANDLE algorithm = nullptr;
    if (!succeeded(::BCryptOpenAlgorithmProvider(&algorithm, BCRYPT_SHA256_ALGORITHM, nullptr, 0)))
        throw std::runtime_error("SHA-256 is not available (BCryptOpenAlgorithmProvider)");
    // BCryptHash takes a non-const input pointer but does not write through it.
    const auto status = ::BCryptHash(algorithm, nullptr, 0,
                                     reinterpret_cast<PUCHAR>(const_cast<char*>(data.data())),
                                     static_cast<ULONG>(data.size()), digest.data(),
                                     static_cast<ULONG>(digest.size()));
    ::BCryptCloseAlgorithmProvider(algorithm, 0);
    if (!succeeded(status)) throw std::runtime_error("SHA-256 failed (BCryptHash)");
    return digest;
}

}  // namespace cti::platform
