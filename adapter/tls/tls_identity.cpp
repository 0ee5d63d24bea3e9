#include "tls/tls_identity.hpp"

#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "logging/logging.hpp"
#include "platform/file_replacement.hpp"
#include "platform/paths.hpp"
#include "tls/self_signed_certificate.hpp"

namespace cti::tls {
namespace {

namespace fs = std::filesystem;

constexpr auto owner_only = fs::perms::owner_read | fs::perms::owner_write;
constexpr auto group_or_others = fs::perms::group_all | fs::perms::others_all;

Result<TlsIdentity> identity_from(fs::path certificate_file, fs::path key_file, std::string certificate_pem,
                                  std::string key_pem, bool provided) {
    auto facts = read_certificate_facts(certificate_pem);
    if (!facts) return fail(std::move(facts.error()));
    return TlsIdentity{std::move(certificate_file), std::move(key_file), std::move(certificate_pem),
                       std::move(key_pem), std::move(*facts), provided};
}

// IT's file named by `key` cannot be used: a config error, blamed on the file that sets the key.
tl::unexpected<Error> unusable(const Config& config, ErrorKind kind, const std::string& key, const std::string& file,
                               const std::string& why) {
    return fail(kind, config.source_of(key) + ": key '" + key + "': " + file + ": " + why);
}

Result<std::string> read_provided(const Config& config, const std::string& key, const std::string& file) {
    auto text = read_pem_file(file);
    if (text) return std::move(*text);
    std::error_code ec;
    if (fs::exists(file, ec))
        return unusable(config, ErrorKind::invalid_input, key, file, "cannot read the file (permission denied?)");
    return unusable(config, ErrorKind::not_found, key, file, "cannot read the file (it does not exist)");
}

Result<TlsIdentity> load_provided(const Config& config) {
    const auto& settings = config.tls;
    auto certificate_pem = read_provided(config, "tls.certificate_file", settings.certificate_file);
    if (!certificate_pem) return fail(std::move(certificate_pem.error()));
    auto key_pem = read_provided(config, "tls.key_file", settings.key_file);
    if (!key_pem) return fail(std::move(key_pem.error()));
    auto identity = identity_from(settings.certificate_file, settings.key_file, std::move(*certificate_pem),
                                  std::move(*key_pem), true);
    if (!identity)
        return unusable(config, identity.error().kind, "tls.certificate_file", settings.certificate_file,
                        identity.error().message);
    if (auto pair = check_private_key(identity->certificate_pem, identity->key_pem); !pair)
        return unusable(config, pair.error().kind, "tls.key_file", settings.key_file, pair.error().message);
    if (identity->facts.expired())
        return unusable(config, ErrorKind::invalid_input, "tls.certificate_file", settings.certificate_file,
                        "the certificate expired on " + identity->facts.not_after + "; IT must issue a new one");
    return identity;
}

// The own files when they are a usable pair; otherwise why not (for the log).
Result<TlsIdentity> existing_own(const fs::path& dir) {
    const auto certificate_file = own_certificate_file(dir), key_file = own_key_file(dir);
    auto certificate_pem = read_pem_file(certificate_file);
    auto key_pem = read_pem_file(key_file);
    if (!certificate_pem || !key_pem)
        return fail(ErrorKind::not_found, (certificate_pem ? key_file : certificate_file).string() + " cannot be read");
    auto identity = identity_from(certificate_file, key_file, std::move(*certificate_pem), std::move(*key_pem), false);
    if (!identity)
        return fail(ErrorKind::invalid_input, certificate_file.string() + " is unusable: " + identity.error().message);
    if (auto pair = check_private_key(identity->certificate_pem, identity->key_pem); !pair)
        return fail(ErrorKind::invalid_input, key_file.string() + " is unusable: " + pair.error().message);
    if (identity->facts.expired())
        return fail(ErrorKind::invalid_input, certificate_file.string() + " expired on " + identity->facts.not_after);
    return identity;
}

// An own key that others may read (copied, restored from a backup) is made private again.
void keep_key_private(const fs::path& key_file) {
    std::error_code ec;
    const auto mode = fs::status(key_file, ec).permissions();
    if (ec || (mode & group_or_others) == fs::perms::none) return;
    spdlog::warn("TLS: {} was readable by other users; making it private (mode 0600)", key_file.string());
    fs::permissions(key_file, owner_only, fs::perm_options::replace, ec);
}

}  // namespace

std::optional<std::string> read_pem_file(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

fs::path own_identity_dir() { return platform::data_dir() / "tls"; }
fs::path own_certificate_file(const fs::path& dir) { return dir / "certificate.pem"; }
fs::path own_key_file(const fs::path& dir) { return dir / "key.pem"; }

Result<TlsIdentity> make_own_identity(const fs::path& dir) {
    if (auto folder = platform::create_folder(dir); !folder) return fail(std::move(folder.error()));
    std::error_code ignored;
    fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ignored);
    auto pair = make_self_signed_certificate();
    // Written beside, made private while still empty, then renamed over: a reader never sees
    // half a key, and the key is never readable by others, not even for a moment. The key
    // first: a certificate without its key would be thrown away at the next start anyway.
    if (auto key = platform::replace_file(own_key_file(dir), pair.key_pem, ".partial", owner_only); !key)
        return fail(std::move(key.error()));
    if (auto certificate = platform::replace_file(own_certificate_file(dir), pair.certificate_pem, ".partial",
                                                  owner_only | fs::perms::group_read | fs::perms::others_read);
        !certificate)
        return fail(std::move(certificate.error()));
    return identity_from(own_certificate_file(dir), own_key_file(dir), std::move(pair.certificate_pem),
                         std::move(pair.key_pem), false);
}

TlsIdentity renew_own_identity(const fs::path& dir) {
    auto identity = make_own_identity(dir);
    if (!identity) throw std::runtime_error(identity.error().message);
    return std::move(*identity);
}

namespace {

Result<TlsIdentity> made_anew(const fs::path& dir) {
    auto identity = make_own_identity(dir);
    if (identity)
        spdlog::info("TLS: made a new key and self-signed certificate {} (SHA-256 {}, valid until {}); "
                     "browsers must be told to trust it (docs/TLS.md)",
                     identity->certificate_file.string(), identity->facts.sha256_fingerprint,
                     identity->facts.not_after);
    return identity;
}

}  // namespace

Result<TlsIdentity> load_tls_identity(const Config& config, const fs::path& own_dir) {
    if (!config.tls.certificate_file.empty()) return load_provided(config);
    std::error_code ec;
    if (!fs::exists(own_certificate_file(own_dir), ec) && !fs::exists(own_key_file(own_dir), ec)) {
        spdlog::info("TLS: no own certificate yet in {}; making one", own_dir.string());
        return made_anew(own_dir);
    }
    auto identity = existing_own(own_dir);
    if (identity) {
        keep_key_private(identity->key_file);
        return identity;
    }
    spdlog::warn("TLS: the own certificate is not usable ({}); making a new one", identity.error().message);
    return made_anew(own_dir);
}

}  // namespace cti::tls
