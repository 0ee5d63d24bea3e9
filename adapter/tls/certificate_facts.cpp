#include "tls/certificate_facts.hpp"

#include <ctime>

#include <boost/asio/ip/address.hpp>

#include "tls/openssl_handles.hpp"

namespace cti::tls {
namespace {

std::string subject_of(X509* certificate) {
    Bio bio(BIO_new(BIO_s_mem()));
    X509_NAME_print_ex(bio.get(), X509_get_subject_name(certificate), 0, XN_FLAG_RFC2253);
    return bio_text(bio.get());
}

std::string ip_address_text(const ASN1_OCTET_STRING* bytes) {
    const auto* data = ASN1_STRING_get0_data(bytes);
    const auto size = ASN1_STRING_length(bytes);
    if (size == 4) return boost::asio::ip::address_v4({data[0], data[1], data[2], data[3]}).to_string();
    if (size == 16) {
        boost::asio::ip::address_v6::bytes_type v6{};
        std::copy(data, data + 16, v6.begin());
        return boost::asio::ip::address_v6(v6).to_string();
    }
    return "(an address of " + std::to_string(size) + " bytes)";
}

std::vector<std::string> alternative_names(X509* certificate) {
    std::vector<std::string> names;
    GeneralNames list(static_cast<GENERAL_NAMES*>(
        X509_get_ext_d2i(certificate, NID_subject_alt_name, nullptr, nullptr)));
    if (!list) return names;
    for (int i = 0; i < sk_GENERAL_NAME_num(list.get()); ++i) {
        const auto* name = sk_GENERAL_NAME_value(list.get(), i);
        if (name->type == GEN_DNS) {
            const auto* text = name->d.dNSName;
            names.push_back("DNS:" + std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(text)),
                                                 static_cast<std::size_t>(ASN1_STRING_length(text))));
        } else if (name->type == GEN_IPADD) {
            names.push_back("IP:" + ip_address_text(name->d.iPAddress));
        }
    }
    return names;
}

std::string iso_time(const ASN1_TIME* time) {
    std::tm parts{};
    if (ASN1_TIME_to_tm(time, &parts) != 1) return "(unreadable time)";
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
    return text;
}

std::int64_t seconds_until(const ASN1_TIME* time) {
    int days = 0, seconds = 0;
    if (ASN1_TIME_diff(&days, &seconds, nullptr, time) != 1) return 0;  // unreadable: treat as expired
    return std::int64_t{days} * 86'400 + seconds;
}

std::string colon_hex(const unsigned char* bytes, unsigned size) {
    static const char digits[] = "0123456789ABCDEF";
    std::string text;
    for (unsigned i = 0; i < size; ++i) {
        if (i) text += ':';
        text += digits[bytes[i] >> 4];
        text += digits[bytes[i] & 0xF];
    }
    return text;
}

std::string sha256_fingerprint(X509* certificate) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned size = 0;
    if (X509_digest(certificate, EVP_sha256(), digest, &size) != 1) return {};
    return colon_hex(digest, size);
}

std::string spki_sha256(X509* certificate) {
    unsigned char* der = nullptr;
    const int der_size = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(certificate), &der);
    if (der_size <= 0) return {};
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned size = 0;
    EVP_Digest(der, static_cast<std::size_t>(der_size), digest, &size, EVP_sha256(), nullptr);
    OPENSSL_free(der);
    unsigned char base64[4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1];
    const int length = EVP_EncodeBlock(base64, digest, static_cast<int>(size));
    return std::string(reinterpret_cast<const char*>(base64), static_cast<std::size_t>(length));
}

}  // namespace

Result<CertificateFacts> read_certificate_facts(const std::string& certificate_pem) {
    auto bio = memory_bio(certificate_pem);
    Certificate certificate(PEM_read_bio_X509(bio.get(), nullptr, no_passphrase, nullptr));
    if (!certificate)
        return fail(ErrorKind::invalid_input,
                    "not a PEM certificate (" + last_openssl_error("no certificate found") + ")");
    CertificateFacts facts;
    facts.subject = subject_of(certificate.get());
    facts.names = alternative_names(certificate.get());
    facts.not_before = iso_time(X509_get0_notBefore(certificate.get()));
    facts.not_after = iso_time(X509_get0_notAfter(certificate.get()));
    facts.seconds_left = seconds_until(X509_get0_notAfter(certificate.get()));
    facts.sha256_fingerprint = sha256_fingerprint(certificate.get());
    facts.spki_sha256 = spki_sha256(certificate.get());
    return facts;
}

}  // namespace cti::tls
