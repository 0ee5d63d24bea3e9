// The key and certificate the adapter serves wss:// and https:// with: IT's files when the config
// names them, else the adapter's own, made on this computer on first use (docs/TLS.md).
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "config/config.hpp"
#include "cti/result.hpp"
#include "tls/certificate_facts.hpp"

namespace cti::tls {

struct TlsIdentity {
    std::filesystem::path certificate_file;
    std::filesystem::path key_file;
    std::string certificate_pem;
    std::string key_pem;
    CertificateFacts facts;
    bool provided = false;  // IT's files (tls.certificate_file), not the adapter's own
};

// Where the adapter keeps its own key and certificate: the user's data folder, under tls/.
std::filesystem::path own_identity_dir();
std::filesystem::path own_certificate_file(const std::filesystem::path& dir);
std::filesystem::path own_key_file(const std::filesystem::path& dir);

// A PEM file's text; nullopt when it cannot be read.
std::optional<std::string> read_pem_file(const std::filesystem::path& file);

// IT's files when the config names them (tls.certificate_file, tls.key_file); else the
// adapter's own in `own_dir`, made anew (and logged) when missing, unreadable, not a pair or
// expired. IT's file that cannot be used is a config error naming the file that sets the key,
// the key and the file ("SOURCE: key 'tls.key_file': FILE: not the private key of the
// certificate"): `not_found` when it does not exist, else `invalid_input`. Own files that cannot
// be written are `failed`, naming the file.
Result<TlsIdentity> load_tls_identity(const Config& config, const std::filesystem::path& own_dir);

// Makes a new own key and certificate in `own_dir`, replacing the old ones; `failed`, naming
// the folder or file, when they cannot be written.
Result<TlsIdentity> make_own_identity(const std::filesystem::path& own_dir);

// make_own_identity() for `cti-adapter tls renew`, whose command reports a failure by catching
// it: throws std::runtime_error with the error's message. To go once that command takes the
// Result itself.
TlsIdentity renew_own_identity(const std::filesystem::path& own_dir);

}  // namespace cti::tls
