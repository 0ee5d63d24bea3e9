// wss:// and https:// on the adapter's one port (docs/TLS.md), with the real executable: its own
// certificate made on first start and kept, IT's certificate, unusable files, and doctor.
#ifdef CTI_WITH_TLS
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <nlohmann/json.hpp>

#include "support/user_adapter.hpp"
#include "support/wss_client.hpp"
#include "tls/certificate_facts.hpp"
#include "tls/self_signed_certificate.hpp"

using namespace cti::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

fs::path own_tls_dir(const UserHome& home) { return home.dir.path / "data" / "cti-adapter" / "tls"; }

std::string read_text(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string own_certificate(const UserHome& home) { return read_text(own_tls_dir(home) / "certificate.pem"); }

std::string fingerprint_of(const std::string& pem) { return cti::tls::read_certificate_facts(pem).value().sha256_fingerprint; }

// `cti-adapter ARGS --config FILE` in `home`, with FILE holding `config`.
std::vector<std::string> with_config(const UserHome& home, const json& config, std::vector<std::string> args) {
    const auto file = home.dir.write("tls-config.json", config.dump());
    args.insert(args.end(), {"--config", file});
    return args;
}

// `cti-adapter run` on any free port with `config`.
std::unique_ptr<UserAdapter> start(const UserHome& home, const json& config) {
    return std::make_unique<UserAdapter>(home, with_config(home, config, {"--port", "0"}));
}

const json tls_on = {{"tls", {{"enabled", true}}}};

json doctor_check(const UserHome& home, const json& config, const std::string& id) {
    const auto result = run_adapter_command(with_config(home, config, {"doctor", "--json"}), home.env());
    INFO(result.out << result.err);
    const auto report = json::parse(result.out);
    for (const auto& check : report["checks"])
        if (check["id"] == id) return check;
    FAIL("doctor has no check " << id);
    return {};
}

}  // namespace

TEST_CASE("tls: one port answers wss:// and https:// and still ws:// and http://", "[tls]") {
    UserHome home;
    auto adapter = start(home, tls_on);
    const auto certificate = own_certificate(home);

    WssClient secure(adapter->port(), certificate);
    CHECK(secure.hello()["type"] == "hello");
    CHECK(secure.command({{"type", "ping"}})["ok"] == true);
    CHECK(secure.server_certificate_sha256() == fingerprint_of(certificate));

    WsClient plain(adapter->port());
    CHECK(plain.hello()["type"] == "hello");
    CHECK(plain.command({{"type", "ping"}})["ok"] == true);

    CHECK(http_request(adapter->port(), "GET", "/health").status == 200);
    const auto health = https_get(adapter->port(), certificate, "/health");
    CHECK(health.status == 200);
    CHECK(json::parse(health.body)["status"] == "ok");
    CHECK(https_get(adapter->port(), certificate, "/cti.js").status == 200);
}

TEST_CASE("tls: a client that trusts another certificate refuses the adapter's", "[tls]") {
    UserHome home;
    auto adapter = start(home, tls_on);
    const auto stranger = cti::tls::make_self_signed_certificate().certificate_pem;
    CHECK_THROWS_WITH(WssClient(adapter->port(), stranger), Catch::Contains("certificate verify failed"));
    // The failed handshake did not hurt the adapter.
    CHECK(https_get(adapter->port(), own_certificate(home), "/health").status == 200);
}

TEST_CASE("tls: a flood of failed handshakes is logged as a few lines, not a line each", "[tls][log]") {
    UserHome home;
    auto adapter = start(home, tls_on);
    const auto stranger = cti::tls::make_self_signed_certificate().certificate_pem;
    for (int i = 0; i < 20; ++i) CHECK_THROWS(WssClient(adapter->port(), stranger));
    // Served after the failed handshakes, on the adapter's one thread: they are all logged by now.
    CHECK(https_get(adapter->port(), own_certificate(home), "/health").status == 200);
    adapter->stop();
    const auto& log = adapter->process().err();
    std::size_t lines = 0;
    for (auto at = log.find("a TLS handshake failed"); at != std::string::npos;
         at = log.find("a TLS handshake failed", at + 1))
        ++lines;
    CHECK(lines >= 1);
    CHECK(lines <= 3);
}

TEST_CASE("tls: the own certificate is made on first start with a private key, and kept", "[tls]") {
    UserHome home;
    std::string first;
    {
        auto adapter = start(home, tls_on);
        first = fingerprint_of(own_certificate(home));
        const auto key_mode = fs::status(own_tls_dir(home) / "key.pem").permissions();
        CHECK((key_mode & (fs::perms::group_all | fs::perms::others_all)) == fs::perms::none);
        CHECK((key_mode & fs::perms::owner_read) != fs::perms::none);
        const auto facts = cti::tls::read_certificate_facts(own_certificate(home)).value();
        CHECK(facts.names == std::vector<std::string>{"IP:127.0.0.1", "DNS:localhost", "IP:::1"});
        CHECK(facts.days_left() > 700);
    }
    auto again = start(home, tls_on);
    CHECK(fingerprint_of(own_certificate(home)) == first);
    CHECK(WssClient(again->port(), own_certificate(home)).server_certificate_sha256() == first);
}

TEST_CASE("tls: nothing is made while tls is not enabled", "[tls]") {
    UserHome home;
    auto adapter = start(home, json::object());
    CHECK_FALSE(fs::exists(own_tls_dir(home)));
    CHECK_THROWS(https_get(adapter->port(), cti::tls::make_self_signed_certificate().certificate_pem, "/health"));
    CHECK(http_request(adapter->port(), "GET", "/health").status == 200);
}

TEST_CASE("tls: an unusable own key is replaced by a new pair, and logged", "[tls]") {
    UserHome home;
    std::string first;
    {
        auto adapter = start(home, tls_on);
        first = fingerprint_of(own_certificate(home));
    }
    std::ofstream(own_tls_dir(home) / "key.pem", std::ios::trunc) << "-----BEGIN PRIVATE KEY-----\nnot a key\n";
    auto adapter = start(home, tls_on);
    const auto renewed = own_certificate(home);
    CHECK(fingerprint_of(renewed) != first);
    CHECK(WssClient(adapter->port(), renewed).hello()["type"] == "hello");
    adapter->stop();
    CHECK_THAT(adapter->process().err(), Catch::Contains((own_tls_dir(home) / "key.pem").string() + " is unusable"));
}

TEST_CASE("tls: an expired own certificate is replaced at start", "[tls]") {
    UserHome home;
    const auto expired = cti::tls::make_self_signed_certificate(-1);
    fs::create_directories(own_tls_dir(home));
    std::ofstream(own_tls_dir(home) / "certificate.pem") << expired.certificate_pem;
    std::ofstream(own_tls_dir(home) / "key.pem") << expired.key_pem;
    fs::permissions(own_tls_dir(home) / "key.pem", fs::perms::owner_read | fs::perms::owner_write);
    auto adapter = start(home, tls_on);
    const auto renewed = own_certificate(home);
    CHECK(fingerprint_of(renewed) != fingerprint_of(expired.certificate_pem));
    CHECK_FALSE(cti::tls::read_certificate_facts(renewed).value().expired());
    CHECK(WssClient(adapter->port(), renewed).hello()["type"] == "hello");
    adapter->stop();
    CHECK_THAT(adapter->process().err(), Catch::Contains("expired on"));
}

TEST_CASE("tls: IT's certificate and key are served, and none of the adapter's own is made", "[tls]") {
    UserHome home;
    const auto pair = cti::tls::make_self_signed_certificate(90);
    const auto certificate_file = home.dir.write("it-certificate.pem", pair.certificate_pem);
    const auto key_file = home.dir.write("it-key.pem", pair.key_pem);
    auto adapter = start(home, {{"tls", {{"enabled", true}, {"certificate_file", certificate_file}, {"key_file", key_file}}}});
    WssClient secure(adapter->port(), pair.certificate_pem);
    CHECK(secure.server_certificate_sha256() == fingerprint_of(pair.certificate_pem));
    CHECK_FALSE(fs::exists(own_tls_dir(home)));
}

TEST_CASE("tls: IT's unusable files stop the start with exit 3, naming the file and the key", "[tls]") {
    UserHome home;
    const auto pair = cti::tls::make_self_signed_certificate();
    const auto other = cti::tls::make_self_signed_certificate();
    const auto certificate_file = home.dir.write("it-certificate.pem", pair.certificate_pem);
    struct Case {
        std::string key_text;
        std::string expected;
    };
    for (const auto& [key_text, expected] : {Case{"garbage", "not an unencrypted PEM private key"},
                                             Case{other.key_pem, "not the private key of the certificate"}}) {
        const auto key_file = home.dir.write("it-key.pem", key_text);
        const json config{{"tls", {{"enabled", true}, {"certificate_file", certificate_file}, {"key_file", key_file}}}};
        const auto result = run_adapter_command(with_config(home, config, {"run", "--port", "0"}), home.env());
        CHECK(result.exit_code == 3);
        CHECK_THAT(result.err, Catch::Contains("key 'tls.key_file'") && Catch::Contains(key_file) &&
                                   Catch::Contains(expected));
    }
    const auto missing = (home.dir.path / "missing.pem").string();
    const json config{{"tls", {{"enabled", true}, {"certificate_file", missing}, {"key_file", missing}}}};
    const auto result = run_adapter_command(with_config(home, config, {"run", "--port", "0"}), home.env());
    CHECK(result.exit_code == 3);
    CHECK_THAT(result.err, Catch::Contains("key 'tls.certificate_file'") && Catch::Contains(missing) &&
                               Catch::Contains("does not exist"));
}

TEST_CASE("tls: doctor --json shows the certificate's facts", "[tls][doctor]") {
    UserHome home;
    CHECK(doctor_check(home, json::object(), "tls")["data"]["enabled"] == false);
    CHECK(doctor_check(home, tls_on, "tls")["status"] == "info");  // not made yet
    {
        auto adapter = start(home, tls_on);
    }
    const auto facts = cti::tls::read_certificate_facts(own_certificate(home)).value();
    const auto check = doctor_check(home, tls_on, "tls");
    CHECK(check["status"] == "pass");
    const auto& data = check["data"];
    CHECK(data["enabled"] == true);
    CHECK(data["source"] == "own");
    CHECK(data["certificate_file"] == (own_tls_dir(home) / "certificate.pem").string());
    CHECK(data["sha256_fingerprint"] == facts.sha256_fingerprint);
    CHECK(data["spki_sha256"] == facts.spki_sha256);
    CHECK(data["names"] == json{"IP:127.0.0.1", "DNS:localhost", "IP:::1"});
    CHECK(data["not_after"] == facts.not_after);
    CHECK(data["days_left"].get<int>() > 700);
}

TEST_CASE("tls: doctor warns about IT's certificate expiring within 30 days", "[tls][doctor]") {
    UserHome home;
    const auto pair = cti::tls::make_self_signed_certificate(10);
    const json config{{"tls", {{"enabled", true},
                               {"certificate_file", home.dir.write("it-certificate.pem", pair.certificate_pem)},
                               {"key_file", home.dir.write("it-key.pem", pair.key_pem)}}}};
    const auto check = doctor_check(home, config, "tls");
    CHECK(check["status"] == "warn");
    CHECK(check["data"]["source"] == "provided");
    CHECK(check["data"]["days_left"].get<int>() < 30);
    CHECK_THAT(check["remedy"].get<std::string>(), Catch::Contains("IT"));
}

TEST_CASE("tls: `tls renew` replaces the own certificate, `tls show` prints it", "[tls]") {
    UserHome home;
    const auto renew = run_adapter_command(with_config(home, tls_on, {"tls", "renew", "--json"}), home.env());
    INFO(renew.out << renew.err);
    REQUIRE(renew.exit_code == 0);
    const auto first = json::parse(renew.out)["sha256_fingerprint"];
    CHECK(first == fingerprint_of(own_certificate(home)));
    const auto again = run_adapter_command(with_config(home, tls_on, {"tls", "renew", "--json"}), home.env());
    CHECK(json::parse(again.out)["sha256_fingerprint"] != first);
    const auto show = run_adapter_command(with_config(home, tls_on, {"tls", "show"}), home.env());
    CHECK(show.exit_code == 0);
    CHECK_THAT(show.out, Catch::Contains(fingerprint_of(own_certificate(home))) && Catch::Contains("SPKI SHA-256"));
}
#endif
