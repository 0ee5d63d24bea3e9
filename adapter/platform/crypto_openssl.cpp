#include "platform/crypto.hpp"

#include <stdexcept>

#include <openssl/evp.h>
#include <openssl/rand.h>

namespace cti::platform {

std::string secure_random_bytes(std::size_t count) {
    std::string bytes(count, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(count)) != 1)
        throw std::runtime_error("the system's random generator failed (OpenSSL RAND_bytes)");
    return bytes;
}

Sha256Digest sha256(std::string_view data) {
    Sha256Digest digest{};
    unsigned int length = 0;
    if (EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1 ||
        length != digest.size())
        throw std::runtime_error("SHA-256 failed (OpenSSL EVP_Digest)");
    return digest;
}

}  // namespace cti::platform
