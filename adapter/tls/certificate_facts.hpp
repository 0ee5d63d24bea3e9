// What a certificate says about itself, for doctor, `cti-adapter tls show` and the start-up log.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cti/result.hpp"

namespace cti::tls {

struct CertificateFacts {
    std::string subject;             // "CN=cti-adapter on 127.0.0.1"
    std::vector<std::string> names;  // subjectAltName: "IP:127.0.0.1", "DNS:localhost"
    std::string not_before;          // UTC, ISO 8601: "2026-11-21T11:00:00Z"
    std::string not_after;
    std::int64_t seconds_left = 0;   // until not_after; negative once expired
    std::string sha256_fingerprint;  // "AB:CD:...", as browsers and certutil show it
    std::string spki_sha256;         // base64 SHA-256 of the public key, as Chrome's
                                     // --ignore-certificate-errors-spki-list takes it

    bool expired() const { return seconds_left <= 0; }
    std::int64_t days_left() const { return seconds_left / 86'400; }
};

// Reads the first certificate of a PEM text; invalid_input saying what is wrong with it.
Result<CertificateFacts> read_certificate_facts(const std::string& certificate_pem);

}  // namespace cti::tls
