// The adapter's own self-signed certificate and what is read from a certificate.
#ifdef CTI_WITH_TLS
#include <catch2/catch.hpp>

#include <regex>

#include "tls/certificate_facts.hpp"
#include "tls/self_signed_certificate.hpp"
#include "support/result_checks.hpp"

using namespace cti::tls;
using cti::test::error_message;

TEST_CASE("tls: the own certificate names every loopback name and lasts two years", "[tls]") {
    const auto pair = make_self_signed_certificate();
    CHECK(pair.key_pem.find("-----BEGIN PRIVATE KEY-----") == 0);
    const auto facts = read_certificate_facts(pair.certificate_pem).value();
    CHECK(facts.subject == "CN=cti-adapter on 127.0.0.1");
    CHECK(facts.names == std::vector<std::string>{"IP:127.0.0.1", "DNS:localhost", "IP:::1"});
    CHECK(facts.days_left() >= own_certificate_days - 1);
    CHECK(facts.days_left() <= own_certificate_days);
    CHECK_FALSE(facts.expired());
    CHECK(std::regex_match(facts.sha256_fingerprint, std::regex("([0-9A-F]{2}:){31}[0-9A-F]{2}")));
    CHECK(std::regex_match(facts.spki_sha256, std::regex("[A-Za-z0-9+/]{43}=")));
    CHECK(std::regex_match(facts.not_after, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")));
}

TEST_CASE("tls: every new certificate has its own key, serial and fingerprint", "[tls]") {
    const auto first = make_self_signed_certificate();
    const auto second = make_self_signed_certificate();
    CHECK(first.key_pem != second.key_pem);
    CHECK(read_certificate_facts(first.certificate_pem).value().sha256_fingerprint !=
          read_certificate_facts(second.certificate_pem).value().sha256_fingerprint);
    CHECK(read_certificate_facts(first.certificate_pem).value().spki_sha256 !=
          read_certificate_facts(second.certificate_pem).value().spki_sha256);
}

TEST_CASE("tls: a key is checked against its certificate", "[tls]") {
    const auto pair = make_self_signed_certificate();
    const auto other = make_self_signed_certificate();
    CHECK(check_private_key(pair.certificate_pem, pair.key_pem).has_value());
    CHECK(error_message(check_private_key(pair.certificate_pem, other.key_pem)) ==
          "not the private key of the certificate");
    CHECK_THAT(error_message(check_private_key(pair.certificate_pem, "garbage")),
               Catch::StartsWith("not an unencrypted PEM private key"));
}

TEST_CASE("tls: what is not a certificate says so", "[tls]") {
    CHECK_THAT(error_message(read_certificate_facts("garbage")), Catch::StartsWith("not a PEM certificate"));
    CHECK_THAT(error_message(read_certificate_facts(make_self_signed_certificate().key_pem)),
               Catch::StartsWith("not a PEM certificate"));
}

TEST_CASE("tls: a certificate past its end is expired", "[tls]") {
    const auto facts = read_certificate_facts(make_self_signed_certificate(-1).certificate_pem).value();
    CHECK(facts.expired());
    CHECK(facts.seconds_left < 0);
}
#endif
