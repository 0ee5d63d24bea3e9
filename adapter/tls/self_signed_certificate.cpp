#include "tls/self_signed_certificate.hpp"

#include <stdexcept>

#include <openssl/bn.h>

#include "tls/openssl_handles.hpp"

namespace cti::tls {
namespace {

constexpr const char* common_name = "cti-adapter on 127.0.0.1";
constexpr const char* alternative_names = "IP:127.0.0.1,DNS:localhost,IP:::1";

void check(bool ok, const char* what) {
    if (!ok) throw std::runtime_error(std::string("making the certificate: ") + what + ": " +
                                      last_openssl_error("failed"));
}

// 159 random bits: positive, unique, and within the 20 octets RFC 5280 allows.
void set_random_serial(X509* certificate) {
    BigNumber serial(BN_new());
    check(serial && BN_rand(serial.get(), 159, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) == 1, "serial");
    check(BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(certificate)) != nullptr, "serial");
}

void add_extension(X509* certificate, int nid, const char* value) {
    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    X509V3_set_ctx(&context, certificate, certificate, nullptr, nullptr, 0);
    Extension extension(X509V3_EXT_conf_nid(nullptr, &context, nid, value));
    check(extension && X509_add_ext(certificate, extension.get(), -1) == 1, "extension");
}

void set_names(X509* certificate) {
    auto* name = X509_get_subject_name(certificate);
    check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                     reinterpret_cast<const unsigned char*>(common_name), -1, -1, 0) == 1,
          "subject");
    check(X509_set_issuer_name(certificate, name) == 1, "issuer");
}

void set_validity(X509* certificate, int valid_days) {
    // An hour back, so a clock a little behind does not see a certificate from the future.
    check(X509_gmtime_adj(X509_getm_notBefore(certificate), -3600) != nullptr, "validity");
    check(X509_time_adj_ex(X509_getm_notAfter(certificate), valid_days, 0, nullptr) != nullptr, "validity");
}

std::string key_pem(EVP_PKEY* key) {
    Bio bio(BIO_new(BIO_s_mem()));
    check(PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1, "key PEM");
    return bio_text(bio.get());
}

std::string certificate_pem(X509* certificate) {
    Bio bio(BIO_new(BIO_s_mem()));
    check(PEM_write_bio_X509(bio.get(), certificate) == 1, "certificate PEM");
    return bio_text(bio.get());
}

}  // namespace

PemPair make_self_signed_certificate(int valid_days) {
    Key key(EVP_EC_gen("P-256"));
    check(key != nullptr, "EC P-256 key");
    Certificate certificate(X509_new());
    check(certificate && X509_set_version(certificate.get(), 2) == 1, "version");
    set_random_serial(certificate.get());
    set_validity(certificate.get(), valid_days);
    set_names(certificate.get());
    check(X509_set_pubkey(certificate.get(), key.get()) == 1, "public key");
    add_extension(certificate.get(), NID_basic_constraints, "critical,CA:FALSE");
    add_extension(certificate.get(), NID_key_usage, "critical,digitalSignature");
    add_extension(certificate.get(), NID_ext_key_usage, "serverAuth");
    add_extension(certificate.get(), NID_subject_key_identifier, "hash");
    add_extension(certificate.get(), NID_subject_alt_name, alternative_names);
    check(X509_sign(certificate.get(), key.get(), EVP_sha256()) > 0, "signature");
    return {certificate_pem(certificate.get()), key_pem(key.get())};
}

Result<> check_private_key(const std::string& certificate_pem_text, const std::string& key_pem_text) {
    auto key_bio = memory_bio(key_pem_text);
    Key key(PEM_read_bio_PrivateKey(key_bio.get(), nullptr, no_passphrase, nullptr));
    if (!key)
        return fail(ErrorKind::invalid_input,
                    "not an unencrypted PEM private key (" + last_openssl_error("no key found") + ")");
    auto certificate_bio = memory_bio(certificate_pem_text);
    Certificate certificate(PEM_read_bio_X509(certificate_bio.get(), nullptr, no_passphrase, nullptr));
    const bool matches = certificate && X509_check_private_key(certificate.get(), key.get()) == 1;
    ERR_clear_error();
    if (!matches) return fail(ErrorKind::invalid_input, "not the private key of the certificate");
    return {};
}

}  // namespace cti::tls
