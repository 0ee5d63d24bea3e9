#include "tls/tls_identity.hpp"

#include <fstream>
#include <optional>
#include <sstream>

#include "logging/logging.hpp"
#include "platform/paths.hpp"
#include "tls/self_signed_certificate.hpp"

namespace cti::tls {
namespace {

namespace fs = std::filesystem;

constexpr auto owner_only = fs::perms::owner_read | fs::perms::owner_write;
constexpr auto group_or_others = fs::perms::group_all | fs::perms::others_all;

// Written beside, made private while still empty, then renamed over: a reader never sees half
// a key, and the key is never readable by others, not even for a moment.
void write_private_file(const fs::path& file, const std::string& text, fs::perms mode) {
    const auto partial = fs::path(file).concat(".partial");
    {
        std::ofstream out(partial, std::ios::binary | std::ios::trunc);
        if (!out) throw std::runtime_error(partial.string() + ": cannot write the file");
        fs::permissions(partial, mode, fs::perm_options::replace);
        out << text;
        if (!out.flush()) throw std::runtime_error(partial.string() + ": cannot write the file");
    }
    fs::rename(partial, file);
}

TlsIdentity identity_from(fs::path certificate_file, fs::path key_file, std::string certificate_pem,
                          std::string key_pem, bool provided) {
    TlsIdentity identity{std::move(certificate_file), std::move(key_file), std::move(certificate_pem),
                         std::move(key_pem), {}, provided};
    identity.facts = read_certificate_facts(identity.certificate_pem);
    return identity;
}

std::string read_provided(const std::string& key, const std::string& file) {
    auto text = read_pem_file(file);
    if (!text) {
        std::error_code ec;
        throw TlsFileError(key, file + ": cannot read the file" +
                                    (fs::exists(file, ec) ? " (permission denied?)" : " (it does not exist)"));
    }
    return std::move(*text);
}

TlsIdentity load_provided(const TlsSettings& settings) {
    auto certificate_pem = read_provided("tls.certificate_file", settings.certificate_file);
    auto key_pem = read_provided("tls.key_file", settings.key_file);
    TlsIdentity identity;
    try {
        identity = identity_from(settings.certificate_file, settings.key_file, std::move(certificate_pem),
                                 std::move(key_pem), true);
    } catch (const std::runtime_error& error) {
        throw TlsFileError("tls.certificate_file", settings.certificate_file + ": " + error.what());
    }
    if (const auto problem = key_problem(identity.certificate_pem, identity.key_pem); !problem.empty())
        throw TlsFileError("tls.key_file", settings.key_file + ": " + problem);
    if (identity.facts.expired())
        throw TlsFileError("tls.certificate_file", settings.certificate_file + ": the certificate expired on " +
                                                       identity.facts.not_after + "; IT must issue a new one");
    return identity;
}

// The own files when they are a usable pair; otherwise why not (for the log), and nullopt.
std::optional<TlsIdentity> existing_own(const fs::path& dir, std::string& why_not) {
    const auto certificate_file = own_certificate_file(dir), key_file = own_key_file(dir);
    auto certificate_pem = read_pem_file(certificate_file);
    auto key_pem = read_pem_file(key_file);
    if (!certificate_pem || !key_pem) {
        why_not = (certificate_pem ? key_file : certificate_file).string() + " cannot be read";
        return std::nullopt;
    }
    std::optional<TlsIdentity> identity;
    try {
        identity = identity_from(certificate_file, key_file, std::move(*certificate_pem), std::move(*key_pem), false);
    } catch (const std::runtime_error& error) {
        why_not = certificate_file.string() + " is unusable: " + error.what();
        return std::nullopt;
    }
    if (const auto problem = key_problem(identity->certificate_pem, identity->key_pem); !problem.empty())
        why_not = key_file.string() + " is unusable: " + problem;
    else if (identity->facts.expired())
        why_not = certificate_file.string() + " expired on " + identity->facts.not_after;
    if (!why_not.empty()) return std::nullopt;
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

TlsIdentity renew_own_identity(const fs::path& dir) {
    fs::create_directories(dir);
    std::error_code ignored;
    fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ignored);
    auto pair = make_self_signed_certificate();
    // The key first: a certificate without its key would be thrown away at the next start anyway.
    write_private_file(own_key_file(dir), pair.key_pem, owner_only);
    write_private_file(own_certificate_file(dir), pair.certificate_pem,
                       owner_only | fs::perms::group_read | fs::perms::others_read);
    return identity_from(own_certificate_file(dir), own_key_file(dir), std::move(pair.certificate_pem),
                         std::move(pair.key_pem), false);
}

namespace {

TlsIdentity made_anew(const fs::path& dir) {
    auto identity = renew_own_identity(dir);
    spdlog::info("TLS: made a new key and self-signed certificate {} (SHA-256 {}, valid until {}); "
                 "browsers must be told to trust it (docs/TLS.md)",
                 identity.certificate_file.string(), identity.facts.sha256_fingerprint, identity.facts.not_after);
    return identity;
}

}  // namespace

TlsIdentity load_tls_identity(const TlsSettings& settings, const fs::path& own_dir) {
    if (!settings.certificate_file.empty()) return load_provided(settings);
    std::error_code ec;
    if (!fs::exists(own_certificate_file(own_dir), ec) && !fs::exists(own_key_file(own_dir), ec)) {
        spdlog::info("TLS: no own certificate yet in {}; making one", own_dir.string());
        return made_anew(own_dir);
    }
    std::string why_not;
    if (auto identity = existing_own(own_dir, why_not)) {
        keep_key_private(identity->key_file);
        return std::move(*identity);
    }
    spdlog::warn("TLS: the own certificate is not usable ({}); making a new one", why_not);
    return made_anew(own_dir);
}

}  // namespace cti::tls
