// The key and certificate the adapter serves wss:// and https:// with: IT's files when the config
// names them, else the adapter's own, made on this computer on first use (docs/TLS.md).
#pragma once

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>

#include "config/config.hpp"
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

// IT's certificate or key cannot be used; key() is the config key naming the file at fault.
class TlsFileError : public std::runtime_error {
public:
    TlsFileError(std::string key, const std::string& message)
        : std::runtime_error(message), key_(std::move(key)) {}
    const std::string& key() const { return key_; }

private:
    std::string key_;
};

// Where the adapter keeps its own key and certificate: the user's data folder, under tls/.
std::filesystem::path own_identity_dir();
std::filesystem::path own_certificate_file(const std::filesystem::path& dir);
std::filesystem::path own_key_file(const std::filesystem::path& dir);

// A PEM file's text; nullopt when it cannot be read.
std::optional<std::string> read_pem_file(const std::filesystem::path& file);

// IT's files when `settings` names them (TlsFileError when unusable or expired); else the
// adapter's own in `own_dir`, made anew (and logged) when missing, unreadable, not a pair or
// expired. Throws std::runtime_error when the own files cannot be written.
TlsIdentity load_tls_identity(const TlsSettings& settings, const std::filesystem::path& own_dir);

// Makes a new own key and certificate in `own_dir`, replacing the old ones.
TlsIdentity renew_own_identity(const std::filesystem::path& own_dir);

}  // namespace cti::tls
