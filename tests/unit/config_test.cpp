// Reading and validating the adapter's config file.
#include <catch2/catch.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "cti/driver_registry.hpp"
#include "service/adapter_service.hpp"
#include "support/result_checks.hpp"

using cti::Config;
namespace fs = std::filesystem;

namespace {

Config parse(const std::string& text) {
    return cti::parse_config(text, "test.json", cti::builtin_drivers()).value();
}

// The error message for `text` (an invalid_input); fails the test when the text is accepted.
std::string error_for(const std::string& text) {
    return cti::test::error_message(cti::parse_config(text, "test.json", cti::builtin_drivers()));
}

// A directory of its own under the system's temporary directory, removed afterwards.
class TempDir {
public:
    TempDir() {
        std::random_device random;
        path_ = fs::temp_directory_path() /
                ("cti-config-test-" + std::to_string(random()) + std::to_string(random()));
        fs::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const fs::path& path() const { return path_; }

    fs::path write(const std::string& name, const std::string& text) const {
        const auto file = path_ / name;
        std::ofstream(file, std::ios::binary) << text;
        return file;
    }

private:
    fs::path path_;
};

}  // namespace

// ---- defaults and good values ----

TEST_CASE("config: {} gives the defaults", "[config]") {
    const auto config = parse("{}");
    CHECK(config.source == "test.json");
    CHECK(config.port == 11000);
    CHECK(config.port_fallbacks == std::vector<std::uint16_t>{11001, 11002, 11003});
    CHECK(config.allowed_origins.empty());
    CHECK(config.driver == "simulator");
    CHECK(config.driver_settings == nlohmann::json::object());
    CHECK(config.log.level == "info");
    CHECK(config.limits.max_message_bytes == 65536);
    CHECK(config.limits.client_queue_limit == 256);
    CHECK(config.limits.handshake_timeout_ms == 10000);
    CHECK(config.limits.idle_timeout_ms == 300000);
    CHECK(config.limits.replay_buffer == 1024);
    CHECK(config.limits.socket_send_buffer == 0);
    CHECK(config.limits.max_connections == 64);
    CHECK(config.limits.request_timeout_ms == 2000);
    CHECK(config.limits.auth_timeout_ms == 5000);
    CHECK(config.limits.reserved_connections == 4);
    CHECK(config.limits.max_unauthenticated == 16);
    CHECK(config.limits.handshakes_per_second == 20);
    CHECK(config.limits.commands_per_minute == 600);
    CHECK(config.limits.dials_per_minute == 20);
}

TEST_CASE("config: every key is read", "[config]") {
    const auto config = parse(R"({
        "port": 12000,
        "port_fallbacks": [12001, 12005],
        "allowed_origins": ["https://crm.example.com", "http://intranet:8080"],
        "driver": "simulator",
        "log_level": "debug",
        "log_file": "/var/log/cti.log",
        "log_max_bytes": 1048576,
        "log_max_files": 7,
        "limits": {"max_message_bytes": 2048, "client_queue_limit": 8,
                   "handshake_timeout_ms": 100, "idle_timeout_ms": 1000,
                   "replay_buffer": 16, "socket_send_buffer": 65536,
                   "max_connections": 3, "handshakes_per_second": 0,
                   "request_timeout_ms": 300, "auth_timeout_ms": 400,
                   "reserved_connections": 2, "max_unauthenticated": 5,
                   "commands_per_minute": 100, "dials_per_minute": 5},
        "simulator": {"answer_after_ms": 0, "busy_numbers": ["+1 555 0100"]}
    })");
    CHECK(config.port == 12000);
    CHECK(config.port_fallbacks == std::vector<std::uint16_t>{12001, 12005});
    CHECK(config.allowed_origins ==
          std::vector<std::string>{"https://crm.example.com", "http://intranet:8080"});
    CHECK(config.log.level == "debug");
    CHECK(config.log.file == "/var/log/cti.log");
    CHECK(config.log.max_file_bytes == 1048576);
    CHECK(config.log.max_files == 7);
    CHECK(config.limits.max_message_bytes == 2048);
    CHECK(config.limits.client_queue_limit == 8);
    CHECK(config.limits.handshake_timeout_ms == 100);
    CHECK(config.limits.idle_timeout_ms == 1000);
    CHECK(config.limits.replay_buffer == 16);
    CHECK(config.limits.socket_send_buffer == 65536);
    CHECK(config.limits.max_connections == 3);
    CHECK(config.limits.request_timeout_ms == 300);
    CHECK(config.limits.auth_timeout_ms == 400);
    CHECK(config.limits.reserved_connections == 2);
    CHECK(config.limits.max_unauthenticated == 5);
    CHECK(config.limits.handshakes_per_second == 0);
    CHECK(config.limits.commands_per_minute == 100);
    CHECK(config.limits.dials_per_minute == 5);
    CHECK(config.driver_settings ==
          nlohmann::json{{"answer_after_ms", 0}, {"busy_numbers", {"+1 555 0100"}}});
}

TEST_CASE("config: port 0 (any free port) and an empty fallback list are allowed", "[config]") {
    const auto config = parse(R"({"port": 0, "port_fallbacks": []})");
    CHECK(config.port == 0);
    CHECK(config.port_fallbacks.empty());
}

TEST_CASE("config: comments are allowed", "[config]") {
    const auto config = parse(R"(// the agent's adapter
{
    /* a block comment */
    "port": 12345  // trailing comment
})");
    CHECK(config.port == 12345);
}

// ---- errors name the source and the key ----

TEST_CASE("config: an unknown top-level key is refused", "[config]") {
    const auto message = error_for(R"({"prot": 11000})");
    CHECK_THAT(message, Catch::StartsWith("test.json: key 'prot': unknown key"));
}

TEST_CASE("config: the top level must be an object", "[config]") {
    CHECK_THAT(error_for("[]"), Catch::StartsWith("test.json: ") && Catch::Contains("expected an object"));
}

TEST_CASE("config: a value of the wrong type is refused", "[config]") {
    CHECK(error_for(R"({"port": "abc"})") ==
          "test.json: key 'port': expected an integer from 0 to 65535, got string \"abc\"");
    CHECK_THAT(error_for(R"({"port": 11000.5})"), Catch::StartsWith("test.json: key 'port': "));
    CHECK_THAT(error_for(R"({"driver": 1})"), Catch::StartsWith("test.json: key 'driver': "));
    CHECK_THAT(error_for(R"({"allowed_origins": "https://crm.example.com"})"),
               Catch::StartsWith("test.json: key 'allowed_origins': expected a list"));
    CHECK_THAT(error_for(R"({"limits": 5})"),
               Catch::StartsWith("test.json: key 'limits': expected an object"));
    CHECK_THAT(error_for(R"({"simulator": []})"),
               Catch::StartsWith("test.json: key 'simulator': expected an object"));
}

TEST_CASE("config: a value out of range is refused", "[config]") {
    CHECK(error_for(R"({"port": 70000})") ==
          "test.json: key 'port': expected an integer from 0 to 65535, got number 70000");
    CHECK_THAT(error_for(R"({"port": -1})"), Catch::StartsWith("test.json: key 'port': "));
    CHECK(error_for(R"({"limits": {"client_queue_limit": 1}})") ==
          "test.json: key 'limits.client_queue_limit': expected an integer from 8 to 100000, "
          "got number 1");
    CHECK_THAT(error_for(R"({"limits": {"max_message_bytes": 65537}})"),
               Catch::StartsWith("test.json: key 'limits.max_message_bytes': "));
    CHECK(error_for(R"({"limits": {"max_connections": 0}})") ==
          "test.json: key 'limits.max_connections': expected an integer from 1 to 100000, "
          "got number 0");
    CHECK_THAT(error_for(R"({"limits": {"dials_per_minute": -1}})"),
               Catch::StartsWith("test.json: key 'limits.dials_per_minute': "));
    CHECK_THAT(error_for(R"({"port_fallbacks": [11001, 0]})"),
               Catch::StartsWith("test.json: key 'port_fallbacks[1]': "));
    CHECK_THAT(error_for(R"({"log_max_files": 0})"),
               Catch::StartsWith("test.json: key 'log_max_files': "));
}

TEST_CASE("config: an unknown key inside limits is refused", "[config]") {
    CHECK_THAT(error_for(R"({"limits": {"replay_bufer": 10}})"),
               Catch::StartsWith("test.json: key 'limits.replay_bufer': unknown key"));
}

TEST_CASE("config: a bad log level is refused", "[config]") {
    CHECK_THAT(error_for(R"({"log_level": "loud"})"),
               Catch::StartsWith("test.json: key 'log_level': ") && Catch::Contains("\"loud\""));
}

TEST_CASE("config: an unknown driver is refused listing the available ones", "[config]") {
    const auto message = error_for(R"({"driver": "no-such-driver"})");
    CHECK_THAT(message, Catch::StartsWith("test.json: key 'driver': unknown driver \"no-such-driver\""));
    for (const auto& factory : cti::builtin_drivers())
        CHECK_THAT(message, Catch::Contains(std::string(factory.name)));
    CHECK_THAT(message, Catch::Contains("simulator"));
}

TEST_CASE("config: bad simulator settings are refused with their path", "[config]") {
    CHECK(error_for(R"({"simulator": {"answer_after_ms": -1}})") ==
          "test.json: key 'simulator.answer_after_ms': expected an integer from 0 to 600000, "
          "got number -1");
    CHECK_THAT(error_for(R"({"simulator": {"bogus": 1}})"),
               Catch::StartsWith("test.json: key 'simulator.bogus': unknown key"));
    CHECK_THAT(error_for(R"({"simulator": {"busy_numbers": ["555", "12a"]}})"),
               Catch::StartsWith("test.json: key 'simulator.busy_numbers[1]': ") &&
                   Catch::Contains("12a"));
    CHECK_THAT(error_for(R"({"simulator": {"capabilities": ["dial", "simulate"]}})"),
               Catch::StartsWith("test.json: key 'simulator.capabilities[1]': 'simulate' is not a call control") &&
                   Catch::Contains("expected some of: dial, answer"));
}

TEST_CASE("config: bad origins are refused", "[config][origin]") {
    CHECK_THAT(error_for(R"({"allowed_origins": ["*"]})"),
               Catch::StartsWith("test.json: key 'allowed_origins[0]': ") &&
                   Catch::Contains("wildcard"));
    CHECK_THAT(error_for(R"({"allowed_origins": ["https://*.example.com"]})"),
               Catch::Contains("wildcard"));
    CHECK_THAT(error_for(R"({"allowed_origins": ["https://ok.example.com", "https://a.example.com/path"]})"),
               Catch::StartsWith("test.json: key 'allowed_origins[1]': ") &&
                   Catch::Contains("https://a.example.com/path"));
    CHECK_THAT(error_for(R"({"allowed_origins": ["ftp://x"]})"),
               Catch::StartsWith("test.json: key 'allowed_origins[0]': ") &&
                   Catch::Contains("ftp://x"));
    CHECK_THAT(error_for(R"({"allowed_origins": ["https://x:99999"]})"),
               Catch::StartsWith("test.json: key 'allowed_origins[0]': ") &&
                   Catch::Contains("port"));
}

TEST_CASE("config: origins are normalised", "[config][origin]") {
    const auto config = parse(R"({"allowed_origins": ["HTTPS://CRM.Example.com:443", "http://Intranet:80",
                                                      "http://intranet:8080"]})");
    CHECK(config.allowed_origins == std::vector<std::string>{"https://crm.example.com",
                                                              "http://intranet",
                                                              "http://intranet:8080"});
}

TEST_CASE("normalize_origin: good origins", "[config][origin]") {
    CHECK(cti::normalize_origin("https://crm.example.com") == "https://crm.example.com");
    CHECK(cti::normalize_origin("HTTPS://CRM.Example.com:443") == "https://crm.example.com");
    CHECK(cti::normalize_origin("http://localhost:80") == "http://localhost");
    CHECK(cti::normalize_origin("http://crm.example.com:443") == "http://crm.example.com:443");
    CHECK(cti::normalize_origin("https://crm.example.com:80") == "https://crm.example.com:80");
    CHECK(cti::normalize_origin("https://crm.example.com:8443") == "https://crm.example.com:8443");
    CHECK(cti::normalize_origin("http://[::1]:8080") == "http://[::1]:8080");
    CHECK(cti::normalize_origin("http://[::1]") == "http://[::1]");
    CHECK(cti::normalize_origin("http://10.0.0.5:65535") == "http://10.0.0.5:65535");

    SECTION("the problem is cleared on success") {
        std::string problem = "stale";
        CHECK(cti::normalize_origin("https://x.example", &problem) == "https://x.example");
        CHECK(problem.empty());
    }
}

TEST_CASE("normalize_origin: bad origins give an empty result and a problem", "[config][origin]") {
    for (const char* text : {"*", "https://*.example.com", "ftp://x", "crm.example.com", "", "https://",
                             "https://:8080", "https://x:", "https://x:0", "https://x:99999",
                             "https://x:123456", "https://x:8o80", "https://x/", "https://x/path",
                             "https://x?q=1", "https://x#frag", "https://user@x", "https://x y",
                             "https://x\t", "null", "//x.example"}) {
        CAPTURE(text);
        std::string problem;
        CHECK(cti::normalize_origin(text, &problem).empty());
        CHECK_FALSE(problem.empty());
    }
}

TEST_CASE("normalize_origin: a port with leading zeros is normalised like a browser does",
          "[config][origin]") {
    // Browsers serialise the origin of https://x:0443 as https://x and of http://x:08080 as
    // http://x:8080; an allow-list entry kept as written would never match.
    CHECK(cti::normalize_origin("https://crm.example.com:0443") == "https://crm.example.com");
    CHECK(cti::normalize_origin("http://crm.example.com:08080") == "http://crm.example.com:8080");
}

// ---- JSON syntax ----

TEST_CASE("config: a JSON syntax error gives the line and column", "[config]") {
    const auto message = error_for("{\n"
                                   "  \"port\": 11000,\n"
                                   "  \"driver\": \"simulator\",,\n"
                                   "}\n");
    CHECK_THAT(message, Catch::StartsWith("test.json: JSON syntax error at line 3, column 25: "));

    SECTION("on the first line") {
        CHECK_THAT(error_for("{\"port\" 1}"), Catch::Contains("line 1, column 9"));
    }
    SECTION("after a comment line") {
        CHECK_THAT(error_for("{\n  // note\n  \"port\": 1x\n}"), Catch::Contains("line 3, column 12"));
    }
    SECTION("an empty text") {
        CHECK_THAT(error_for(""), Catch::StartsWith("test.json: JSON syntax error at line 1, column 1"));
    }
    SECTION("a number beyond a double's range is a config error, not a crash") {
        CHECK_THAT(error_for("{\"port\": 1e999}"),
                   Catch::StartsWith("test.json: a number is too large to represent"));
    }
}

// ---- files ----

TEST_CASE("config: load_config reads a file and names it in errors", "[config][file]") {
    TempDir dir;
    const auto file = dir.write("config.json", R"({"port": 12001})");
    const auto config = cti::load_config(file, true, cti::builtin_drivers()).value();
    CHECK(config.port == 12001);
    CHECK(config.source == file.string());

    const auto bad = dir.write("bad.json", R"({"port": "x"})");
    CHECK_THAT(cti::test::error_message(cti::load_config(bad, true, cti::builtin_drivers())),
               Catch::StartsWith(bad.string() + ": key 'port': "));
}

TEST_CASE("config: an explicitly given file must exist", "[config][file]") {
    TempDir dir;
    const auto missing = dir.path() / "missing.json";
    CHECK_THAT(cti::test::error_message(cti::load_config(missing, true, cti::builtin_drivers()), cti::ErrorKind::not_found),
               Catch::Contains(missing.string()) && Catch::Contains("does not exist"));
}

TEST_CASE("config: a missing default file gives the defaults", "[config][file]") {
    TempDir dir;
    const auto config = cti::load_config(dir.path() / "missing.json", false, cti::builtin_drivers()).value();
    CHECK(config.source == "(built-in defaults)");
    CHECK(config.port == 11000);
    CHECK(config.driver == "simulator");
}

TEST_CASE("config: an existing default file is read", "[config][file]") {
    TempDir dir;
    const auto file = dir.write("config.json", R"({"driver": "simulator", "port": 0})");
    const auto config = cti::load_config(file, false, cti::builtin_drivers()).value();
    CHECK(config.port == 0);
    CHECK(config.source == file.string());
}

// ---- ports to try ----

TEST_CASE("candidate_ports: port then the fallbacks", "[config][ports]") {
    Config config;
    CHECK(cti::candidate_ports(config) == std::vector<std::uint16_t>{11000, 11001, 11002, 11003});

    SECTION("duplicates are dropped, order kept") {
        config.port = 11002;
        config.port_fallbacks = {11001, 11002, 11003, 11001};
        CHECK(cti::candidate_ports(config) == std::vector<std::uint16_t>{11002, 11001, 11003});
    }
    SECTION("no fallbacks") {
        config.port_fallbacks.clear();
        CHECK(cti::candidate_ports(config) == std::vector<std::uint16_t>{11000});
    }
    SECTION("port 0 means one 'any free port' attempt") {
        config.port = 0;
        CHECK(cti::candidate_ports(config) == std::vector<std::uint16_t>{0});
    }
}

TEST_CASE("config: tls is off by default, certificate_file and key_file come together", "[config][tls]") {
    const auto defaults = parse("{}");
    CHECK_FALSE(defaults.tls.enabled);
    CHECK(defaults.tls.certificate_file.empty());
    const auto provided = parse(R"({"tls": {"enabled": true, "certificate_file": "/etc/c.pem", "key_file": "/etc/k.pem"}})");
    CHECK(provided.tls.enabled);
    CHECK(provided.tls.certificate_file == "/etc/c.pem");
    CHECK(provided.tls.key_file == "/etc/k.pem");
    CHECK_THAT(error_for(R"({"tls": {"enabled": "yes"}})"),
               Catch::Contains("key 'tls.enabled'") && Catch::Contains("expected true or false"));
    CHECK_THAT(error_for(R"({"tls": {"enabled": true, "certificate_file": "/etc/c.pem"}})"),
               Catch::Contains("key 'tls.key_file'") && Catch::Contains("give both"));
    CHECK_THAT(error_for(R"({"tls": {"port": 11443}})"), Catch::Contains("tls.port"));
}

TEST_CASE("config: same_user_only is on by default and takes only true or false", "[config][security]") {
    CHECK(parse("{}").same_user_only);
    CHECK_FALSE(parse(R"({"same_user_only": false})").same_user_only);
    CHECK_THAT(error_for(R"({"same_user_only": "no"})"),
               Catch::Contains("key 'same_user_only'") && Catch::Contains("expected true or false"));
    CHECK_THAT(error_for(R"({"same_user": false})"), Catch::Contains("same_user"));
}
