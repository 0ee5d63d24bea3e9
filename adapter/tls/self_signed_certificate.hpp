// A new key and self-signed certificate for this install: EC P-256, subjectAltName IP:127.0.0.1,
// DNS:localhost and IP:::1 (every name a page may use for the adapter), a random serial.
// Made on the agent's own computer on first use, so no key is ever shipped in a package.
#pragma once

#include <string>

#include "cti/result.hpp"

namespace cti::tls {

struct PemPair {
    std::string certificate_pem;
    std::string key_pem;  // PKCS#8, unencrypted: the file's mode (0600) protects it
};

inline constexpr int own_certificate_days = 730;

// Throws std::runtime_error when OpenSSL cannot make one. Nothing from outside goes into it (no
// file, no setting): OpenSSL failing to make a P-256 key or sign with it means a broken machine
// or library (no random source), not a Result for a caller to act on (docs/ARCHITECTURE.md,
// "Exceptions that stay"), as with the system's random generator.
PemPair make_self_signed_certificate(int valid_days = own_certificate_days);

// Whether `key_pem` is the key of `certificate_pem`: invalid_input saying what is wrong (not a PEM
// key, encrypted, not this certificate's key) when it is not.
Result<> check_private_key(const std::string& certificate_pem, const std::string& key_pem);

}  // namespace cti::tls
