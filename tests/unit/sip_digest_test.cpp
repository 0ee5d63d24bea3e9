#include <catch2/catch.hpp>

#include "sip/sip_digest.hpp"
#include "sip/sip_message.hpp"

using namespace cti::sip;

TEST_CASE("sip digest: MD5 of known strings", "[sip]") {
    CHECK(md5_hex("") == "d41d8cd98f00b204e9800998ecf8427e");
    CHECK(md5_hex("The quick brown fox jumps over the lazy dog") == "9e107d9d372bb6826bd81d3542a419d6");
}

TEST_CASE("sip digest: the RFC 2617 section 3.5 example with qop=auth", "[sip]") {
    DigestInput input{"Mufasa", "Circle Of Life", "testrealm@host.com", "dcd98b7102dd2f0e8b11d0f600bfb0c093",
                      "GET", "/dir/index.html", "auth", "00000001", "0a4f113b"};
    CHECK(digest_response(input) == "6629fae49393a05397450978507c4ef1");
}

TEST_CASE("sip digest: without qop (RFC 2069 compatibility)", "[sip]") {
    DigestInput input{"Mufasa", "Circle Of Life", "testrealm@host.com", "dcd98b7102dd2f0e8b11d0f600bfb0c093",
                      "GET", "/dir/index.html", "", "", ""};
    CHECK(digest_response(input) == "670fd8c2df070c60b045671b8b24ff02");
}

TEST_CASE("sip digest: the Authorization value answers a challenge and libosip2 parses it", "[sip]") {
    Challenge challenge;
    challenge.realm = "127.0.0.1";
    challenge.nonce = "abc123";
    auto value = authorization_value(challenge, "1001", "agent-secret", "REGISTER", "sip:127.0.0.1:5060", "c0ffee", 1);
    CHECK(value == "Digest username=\"1001\", realm=\"127.0.0.1\", nonce=\"abc123\", "
                   "uri=\"sip:127.0.0.1:5060\", response=\"b9111debf4fcc4c78f8aacfe378abb9c\", algorithm=MD5");

    challenge.qop = "auth,auth-int";
    challenge.opaque = "xyz";
    value = authorization_value(challenge, "1001", "agent-secret", "REGISTER", "sip:127.0.0.1:5060", "c0ffee", 2);
    CHECK(value.find("qop=auth, nc=00000002") != std::string::npos);
    CHECK(value.find("cnonce=\"c0ffee\"") != std::string::npos);
    CHECK(value.find("opaque=\"xyz\"") != std::string::npos);

    auto request = SipMessage::request("REGISTER", "sip:127.0.0.1:5060");
    REQUIRE(request);
    CHECK(request->add_header("Authorization", value));
}

TEST_CASE("sip digest: unsupported challenges get no answer", "[sip]") {
    Challenge challenge;
    challenge.realm = "r";
    challenge.nonce = "n";
    challenge.algorithm = "SHA-256";
    CHECK(authorization_value(challenge, "u", "p", "REGISTER", "sip:r", "c", 1).empty());
    challenge.algorithm = "MD5";
    challenge.qop = "auth-int";
    CHECK(authorization_value(challenge, "u", "p", "REGISTER", "sip:r", "c", 1).empty());
    challenge.qop = "";
    challenge.nonce = "bad\"nonce";
    CHECK(authorization_value(challenge, "u", "p", "REGISTER", "sip:r", "c", 1).empty());
}
