// Owning handles for the OpenSSL objects of adapter/tls/, and the text of OpenSSL's last error.
// Only adapter/tls/*.cpp include this: OpenSSL stays out of every other header.
#pragma once

#include <memory>
#include <string>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace cti::tls {

template <auto Free>
struct OpensslFree {
    template <class T>
    void operator()(T* object) const {
        Free(object);
    }
};

using Bio = std::unique_ptr<BIO, OpensslFree<BIO_free_all>>;
using Key = std::unique_ptr<EVP_PKEY, OpensslFree<EVP_PKEY_free>>;
using Certificate = std::unique_ptr<X509, OpensslFree<X509_free>>;
using Extension = std::unique_ptr<X509_EXTENSION, OpensslFree<X509_EXTENSION_free>>;
using GeneralNames = std::unique_ptr<GENERAL_NAMES, OpensslFree<GENERAL_NAMES_free>>;
using BigNumber = std::unique_ptr<BIGNUM, OpensslFree<BN_free>>;

// "error:0480006C:PEM routines::no start line", or `fallback` when OpenSSL said nothing.
inline std::string last_openssl_error(const char* fallback) {
    const auto code = ERR_get_error();
    ERR_clear_error();
    if (code == 0) return fallback;
    char text[256];
    ERR_error_string_n(code, text, sizeof text);
    return text;
}

inline Bio memory_bio(const std::string& text) {
    return Bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

// What a memory BIO holds, as a string.
inline std::string bio_text(BIO* bio) {
    char* data = nullptr;
    const auto size = BIO_get_mem_data(bio, &data);
    return size > 0 ? std::string(data, static_cast<std::size_t>(size)) : std::string{};
}

// A key file is never asked for a passphrase: OpenSSL's default callback would prompt on the
// terminal of a background service. An encrypted key simply fails to load.
inline int no_passphrase(char*, int, int, void*) { return 0; }

}  // namespace cti::tls
