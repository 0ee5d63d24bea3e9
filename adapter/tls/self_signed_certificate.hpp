// A new key and self-signed certificate for this install: EC P-256, subjectAltName IP:127.0.0.1,
// DNS:localhost and IP:::1 (every name a page may use for the adapter), a random serial.
// Made on the agent's own computer on first use, so no key is ever shipped in a package.
#pragma once

#include <string>

namespace cti::tls {

struct PemPair {
    std::string certificate_pem;
    std::string key_pem;  // PKCS#8, unencrypted: the file's mode (0600) protects it
};

inline constexpr int own_certificate_days = 730;

// Throws std::runtime_error when OpenSSL cannot make one.
PemPair make_self_signed_certificate(int valid_days = own_certificate_days);

// What is wrong with `key_pem` as the key of `certificate_pem` (not a PEM key, encrypted, not
// this certificate's key); empty when it is the certificate's key.
std::string key_problem(const std::string& certificate_pem, const std::string& key_pem);

}  // namespace cti::tls
