// The bodies of /probe, /health and /status (docs/PROTOCOL.md, 7), byte for byte as the adapter
// answers them, and read back as the command line reads them.
#include <catch2/catch.hpp>

#include <string>

#include "protocol/http_bodies.hpp"
#include "protocol/messages.hpp"
#include "support/result_checks.hpp"

namespace protocol = cti::protocol;
using Catch::Matchers::Contains;
using cti::test::error_message;

namespace {

protocol::StatusReport known_status() {
    return {"0.1.0", protocol::version, "5f3c9a0e12ab77d4", 12, 8765,
            {"simulator", {cti::DriverState::connected, "simulated phone line 1001"}}, 2, 1, 7};
}

const std::string known_status_body =
    R"({"active_calls":1,"clients":2,"driver":{"detail":"simulated phone line 1001","name":"simulator",)"
    R"("status":"connected"},"epoch":"5f3c9a0e12ab77d4","last_seq":7,"port":8765,"product":"cti-adapter",)"
    R"("protocol":1,"uptime_s":12,"version":"0.1.0"})";

}  // namespace

TEST_CASE("http bodies: /status /probe and /health are encoded as the adapter has always answered", "[protocol][http]") {
    CHECK(protocol::encode_status_body(known_status()) == known_status_body);
    CHECK(protocol::encode_probe_body("0.1.0") == R"({"product":"cti-adapter","version":"0.1.0"})");
    CHECK(protocol::encode_health_body("0.1.0") == R"({"status":"ok","version":"0.1.0"})");
}

TEST_CASE("http bodies: a driver detail that is not UTF-8 is replaced not thrown", "[protocol][http]") {
    auto status = known_status();
    status.driver.status.detail = "bad \xff byte";
    CHECK_THAT(protocol::encode_status_body(status), Contains("bad \xEF\xBF\xBD byte"));
}

TEST_CASE("http bodies: the /status body reads back as it was written", "[protocol][http]") {
    const auto decoded = protocol::decode_status_body(protocol::encode_status_body(known_status()));
    REQUIRE(decoded);
    const auto expected = known_status();
    CHECK(decoded->adapter_version == expected.adapter_version);
    CHECK(decoded->protocol_version == protocol::version);
    CHECK(decoded->epoch == expected.epoch);
    CHECK(decoded->uptime_s == 12);
    CHECK(decoded->port == 8765);
    CHECK(decoded->driver.name == "simulator");
    CHECK(decoded->driver.status.state == cti::DriverState::connected);
    CHECK(decoded->driver.status.detail == "simulated phone line 1001");
    CHECK(decoded->clients == 2);
    CHECK(decoded->active_calls == 1);
    CHECK(decoded->last_seq == 7);
}

TEST_CASE("http bodies: a malformed /status body is an Error naming the field", "[protocol][http]") {
    auto with = [](const std::string& from, const std::string& to) {
        auto body = known_status_body;
        const auto at = body.find(from);
        REQUIRE(at != std::string::npos);
        return body.replace(at, from.size(), to);
    };
    CHECK_THAT(error_message(protocol::decode_status_body("<html>")),
               Contains("the /status body") && Contains("not valid JSON"));
    CHECK_THAT(error_message(protocol::decode_status_body("[1,2]")), Contains("must be a JSON object, got array"));
    CHECK_THAT(error_message(protocol::decode_status_body(with(R"("port":8765)", R"("port":"8765")"))),
               Contains("'port' must be an integer from 0 to 65535, got string"));
    CHECK_THAT(error_message(protocol::decode_status_body(with(R"("port":8765)", R"("port":70000)"))),
               Contains("'port'"));
    CHECK_THAT(error_message(protocol::decode_status_body(with(R"("clients":2)", R"("clients":-2)"))),
               Contains("'clients' must be an integer"));
    CHECK_THAT(error_message(protocol::decode_status_body(with(R"(,"status":"connected")", ""))),
               Contains("'driver.status' is missing"));
    CHECK_THAT(error_message(protocol::decode_status_body(with(R"("status":"connected")", R"("status":"asleep")"))),
               Contains("'driver.status' is 'asleep'"));
    // The body a page not trusted with more gets: product and version only.
    CHECK_THAT(error_message(protocol::decode_status_body(protocol::encode_probe_body("0.1.0"))),
               Contains("the /status body: 'protocol' is missing"));
}

TEST_CASE("http bodies: /health reads as healthy with its version", "[protocol][http]") {
    const auto health = protocol::decode_health_body(protocol::encode_health_body("0.2.0"));
    REQUIRE(health);
    CHECK(health->healthy);
    CHECK(health->adapter_version == "0.2.0");

    const auto starting = protocol::decode_health_body(R"({"status":"starting","version":"0.2.0"})");
    REQUIRE(starting);
    CHECK_FALSE(starting->healthy);
}

TEST_CASE("http bodies: a malformed /health body is an Error naming the field", "[protocol][http]") {
    CHECK_THAT(error_message(protocol::decode_health_body("OK")), Contains("the /health body: not valid JSON"));
    CHECK_THAT(error_message(protocol::decode_health_body(R"({"status":true,"version":"1"})")),
               Contains("'status' must be a string, got boolean"));
    CHECK_THAT(error_message(protocol::decode_health_body(R"({"status":"ok"})")), Contains("'version' is missing"));
}

TEST_CASE("http bodies: status --json prints the body indented with its fields as they came", "[protocol][http]") {
    const auto pretty = protocol::pretty_printed_body(R"({"b":1,"a":{"c":[true]},"new_field":null})");
    REQUIRE(pretty);
    CHECK(*pretty == "{\n  \"a\": {\n    \"c\": [\n      true\n    ]\n  },\n  \"b\": 1,\n  \"new_field\": null\n}");
    CHECK_THAT(error_message(protocol::pretty_printed_body("{")), Contains("not valid JSON"));
}
