// The TLS identity: IT's files that cannot be used are config errors naming the file that sets
// the key, the key and the file; the adapter's own files are made, and their failure named.
#ifdef CTI_WITH_TLS
#include <catch2/catch.hpp>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "config/config.hpp"
#include "cti/driver_registry.hpp"
#include "support/result_checks.hpp"
#include "support/temp_dir.hpp"
#include "tls/self_signed_certificate.hpp"
#include "tls/tls_identity.hpp"

using namespace cti;
using test::error_message;

namespace {

constexpr const char* source = "/etc/cti-adapter/config.json";

Config tls_config(const std::string& certificate_file, const std::string& key_file) {
    const nlohmann::json settings{
        {"tls", {{"enabled", true}, {"certificate_file", certificate_file}, {"key_file", key_file}}}};
    return parse_config(settings.dump(), source, builtin_drivers()).value();
}

}  // namespace

TEST_CASE("tls identity: IT's key that is not the certificate's is invalid_input on tls.key_file", "[tls]") {
    test::TempDir dir;
    const auto pair = tls::make_self_signed_certificate();
    const auto certificate = dir.write("certificate.pem", pair.certificate_pem);
    const auto key = dir.write("key.pem", tls::make_self_signed_certificate().key_pem);
    CHECK(error_message(tls::load_tls_identity(tls_config(certificate, key), dir.path / "own")) ==
          std::string(source) + ": key 'tls.key_file': " + key + ": not the private key of the certificate");
}

TEST_CASE("tls identity: IT's certificate that is not one, or expired, is invalid_input on tls.certificate_file", "[tls]") {
    test::TempDir dir;
    const auto good = tls::make_self_signed_certificate();
    const auto expired = tls::make_self_signed_certificate(-1);
    struct Case {
        std::string certificate_text, key_text, expected;
    };
    for (const auto& [certificate_text, key_text, expected] :
         {Case{"garbage", good.key_pem, "not a PEM certificate"},
          Case{expired.certificate_pem, expired.key_pem, "the certificate expired on "}}) {
        const auto certificate = dir.write("certificate.pem", certificate_text);
        const auto key = dir.write("key.pem", key_text);
        CHECK_THAT(error_message(tls::load_tls_identity(tls_config(certificate, key), dir.path / "own")),
                   Catch::StartsWith(std::string(source) + ": key 'tls.certificate_file': " + certificate + ": " + expected));
    }
}

TEST_CASE("tls identity: IT's key file that does not exist is not_found on tls.key_file", "[tls]") {
    test::TempDir dir;
    const auto certificate = dir.write("certificate.pem", tls::make_self_signed_certificate().certificate_pem);
    const auto key = (dir.path / "missing-key.pem").string();
    CHECK(error_message(tls::load_tls_identity(tls_config(certificate, key), dir.path / "own"), ErrorKind::not_found) ==
          std::string(source) + ": key 'tls.key_file': " + key + ": cannot read the file (it does not exist)");
}

TEST_CASE("tls identity: own files that cannot be written are failed, naming the folder", "[tls]") {
    test::TempDir dir;
    const auto own = std::filesystem::path(dir.write("not-a-folder", "a file")) / "tls";
    CHECK_THAT(error_message(tls::make_own_identity(own), ErrorKind::failed),
               Catch::StartsWith(own.string() + ": cannot create the folder"));
    auto config = tls_config("", "");
    CHECK_THAT(error_message(tls::load_tls_identity(config, own), ErrorKind::failed),
               Catch::StartsWith(own.string() + ": cannot create the folder"));
}

TEST_CASE("tls identity: the own files are made once and kept", "[tls]") {
    test::TempDir dir;
    const auto config = tls_config("", "");
    const auto made = tls::load_tls_identity(config, dir.path / "own").value();
    CHECK_FALSE(made.provided);
    const auto kept = tls::load_tls_identity(config, dir.path / "own").value();
    CHECK(kept.facts.sha256_fingerprint == made.facts.sha256_fingerprint);
}
#endif
