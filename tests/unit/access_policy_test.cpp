// Host and Origin checks (docs/PROTOCOL.md, section 1.1).
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "net/access_policy.hpp"

using cti::AccessPolicy;

namespace {

AccessPolicy policy_on(std::uint16_t port, std::vector<std::string> origins = {}) {
    AccessPolicy policy(std::move(origins));
    policy.set_port(port);
    return policy;
}

}  // namespace

TEST_CASE("access: loopback Host names with the bound port are allowed", "[access]") {
    const auto policy = policy_on(11000);
    CHECK(policy.host_allowed("127.0.0.1:11000"));
    CHECK(policy.host_allowed("localhost:11000"));
    CHECK(policy.host_allowed("[::1]:11000"));
    SECTION("in any case") {
        CHECK(policy.host_allowed("LOCALHOST:11000"));
        CHECK(policy.host_allowed("LocalHost:11000"));
    }
}

TEST_CASE("access: any other Host is refused", "[access]") {
    const auto policy = policy_on(11000);
    SECTION("another port") {
        CHECK_FALSE(policy.host_allowed("127.0.0.1:11001"));
        CHECK_FALSE(policy.host_allowed("localhost:1100"));
        CHECK_FALSE(policy.host_allowed("localhost:110000"));
        CHECK_FALSE(policy.host_allowed("[::1]:80"));
    }
    SECTION("another name (DNS rebinding)") {
        CHECK_FALSE(policy.host_allowed("evil.example:11000"));
        CHECK_FALSE(policy.host_allowed("localhost.evil.example:11000"));
        CHECK_FALSE(policy.host_allowed("127.0.0.2:11000"));
        CHECK_FALSE(policy.host_allowed("0.0.0.0:11000"));
        CHECK_FALSE(policy.host_allowed("::1:11000"));
        CHECK_FALSE(policy.host_allowed("[::1]"));
    }
    SECTION("no port") {
        CHECK_FALSE(policy.host_allowed("127.0.0.1"));
        CHECK_FALSE(policy.host_allowed("localhost"));
        CHECK_FALSE(policy.host_allowed("localhost:"));
    }
    SECTION("empty or padded") {
        CHECK_FALSE(policy.host_allowed(""));
        CHECK_FALSE(policy.host_allowed(" localhost:11000"));
        CHECK_FALSE(policy.host_allowed("localhost:11000 "));
        CHECK_FALSE(policy.host_allowed("localhost:11000\r\n"));
    }
}

TEST_CASE("access: nothing is allowed before the port is known", "[access]") {
    AccessPolicy policy({"https://crm.example.com"});
    CHECK_FALSE(policy.host_allowed("127.0.0.1:11000"));
    CHECK(policy.own_origins().empty());
    CHECK(policy.origin_allowed("https://crm.example.com"));
}

TEST_CASE("access: set_port replaces the previous port", "[access]") {
    auto policy = policy_on(11000);
    policy.set_port(11002);
    CHECK(policy.host_allowed("localhost:11002"));
    CHECK_FALSE(policy.host_allowed("localhost:11000"));
    CHECK(policy.origin_allowed("http://localhost:11002"));
    CHECK_FALSE(policy.origin_allowed("http://localhost:11000"));
    CHECK(policy.own_origins().size() == 3);
}

TEST_CASE("access: the adapter's own page origins are allowed", "[access]") {
    const auto policy = policy_on(11000);
    CHECK(policy.own_origins() == std::vector<std::string>{"http://127.0.0.1:11000",
                                                            "http://localhost:11000",
                                                            "http://[::1]:11000"});
    CHECK(policy.origin_allowed("http://127.0.0.1:11000"));
    CHECK(policy.origin_allowed("http://localhost:11000"));
    CHECK(policy.origin_allowed("http://[::1]:11000"));

    CHECK_FALSE(policy.origin_allowed("https://127.0.0.1:11000"));  // no TLS on this port
    CHECK_FALSE(policy.origin_allowed("http://127.0.0.1:11001"));
    CHECK_FALSE(policy.origin_allowed("http://127.0.0.1"));
    CHECK_FALSE(policy.origin_allowed("http://localhost"));
    CHECK_FALSE(policy.origin_allowed("http://localhost:11000/"));
}

TEST_CASE("access: a listed origin is allowed exactly", "[access]") {
    const auto policy = policy_on(11000, {"https://crm.example.com", "http://intranet:8080"});
    CHECK(policy.origin_allowed("https://crm.example.com"));
    CHECK(policy.origin_allowed("http://intranet:8080"));

    SECTION("look-alikes are refused") {
        for (const char* origin : {
                 "https://crm.example.com.evil.net",
                 "https://evil.crm.example.com",
                 "https://evilcrm.example.com",
                 "https://crm.example.co",
                 "https://crm.example.com:8443",
                 "https://crm.example.com:443",
                 "http://crm.example.com",
                 "https://crm.example.com/",
                 "https://crm.example.com/path",
                 " https://crm.example.com",
                 "https://crm.example.com ",
                 "http://intranet",
                 "http://intranet:80",
                 "http://intranet:8081",
                 "null",
                 "*",
                 "",
             }) {
            CAPTURE(origin);
            CHECK_FALSE(policy.origin_allowed(origin));
        }
    }
}

TEST_CASE("access: an empty origin is refused even with an empty allow-list entry", "[access]") {
    const auto policy = policy_on(11000, {""});
    CHECK_FALSE(policy.origin_allowed(""));
}

TEST_CASE("access: without an allow-list only the own page is allowed", "[access]") {
    const auto policy = policy_on(11000);
    CHECK_FALSE(policy.origin_allowed("https://crm.example.com"));
    CHECK_FALSE(policy.origin_allowed("null"));
    CHECK(policy.origin_allowed("http://localhost:11000"));
}

TEST_CASE("access: with TLS on the port the own page's https:// origins are allowed too", "[access][tls]") {
    AccessPolicy policy({});
    policy.set_port(11000, /*serves_tls=*/true);
    CHECK(policy.origin_allowed("https://127.0.0.1:11000"));
    CHECK(policy.origin_allowed("https://localhost:11000"));
    CHECK(policy.origin_allowed("https://[::1]:11000"));
    CHECK(policy.origin_allowed("http://127.0.0.1:11000"));
    CHECK_FALSE(policy.origin_allowed("https://127.0.0.1:11001"));
    CHECK_FALSE(policy.origin_allowed("https://127.0.0.1"));
}
