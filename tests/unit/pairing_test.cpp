// Pairing tokens, the `pairing` config section, and the pairing service's rules
// (docs/PROTOCOL.md 1.3, docs/CONFIG.md "Pairing").
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <set>

#include "config/config.hpp"
#include "cti/driver_registry.hpp"
#include "support/result_checks.hpp"
#include "pairing/pairing_service.hpp"
#include "pairing/tokens.hpp"

using namespace cti;
namespace fs = std::filesystem;

namespace {

std::string config_error(const std::string& text) {
    return test::error_message(parse_config(text, "test.json", builtin_drivers()));
}

// A page that records what the service tells it.
struct RecordingWaiter : PairingWaiter {
    std::string token, pairing_id, failure;
    void on_paired(std::string t, std::string id) override {
        token = std::move(t);
        pairing_id = std::move(id);
    }
    void on_pairing_failed(std::string reason) override { failure = std::move(reason); }
};

struct ScratchFile {
    fs::path path = fs::temp_directory_path() / ("cti-pairing-" + pairing::new_short_id() + ".json");
    ~ScratchFile() {
        std::error_code ignored;
        fs::remove(path, ignored);
    }
};

PairingSettings settings_for(const fs::path& file) {
    PairingSettings settings;
    settings.file = file.string();
    return settings;
}

std::string refusal_code(const std::variant<std::string, PairingRefusal>& outcome) {
    const auto* refused = std::get_if<PairingRefusal>(&outcome);
    return refused ? refused->code : "";
}

}  // namespace

TEST_CASE("tokens are 256 random bits in base64url, stored as SHA-256 hex", "[pairing]") {
    std::set<std::string> seen;
    for (int i = 0; i < 64; ++i) {
        const auto token = pairing::new_token();
        CHECK(token.size() == 43);
        CHECK(token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
              std::string::npos);
        seen.insert(token);
    }
    CHECK(seen.size() == 64);
    // FIPS 180-2's test vector.
    CHECK(pairing::token_sha256_hex("abc") ==
          "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(pairing::is_sha256_hex(pairing::token_sha256_hex("x")));
    CHECK_FALSE(pairing::is_sha256_hex("abc"));
    CHECK(pairing::equal_in_constant_time("abcd", "abcd"));
    CHECK_FALSE(pairing::equal_in_constant_time("abcd", "abce"));
    CHECK_FALSE(pairing::equal_in_constant_time("abcd", "abc"));
}

TEST_CASE("pairing codes are six digits", "[pairing]") {
    for (int i = 0; i < 200; ++i) {
        const auto code = pairing::new_pairing_code();
        REQUIRE(code.size() == 6);
        CHECK(code.find_first_not_of("0123456789") == std::string::npos);
    }
}

TEST_CASE("the pairing section is checked key by key", "[pairing][config]") {
    const auto config = parse_config(
        R"({"pairing": {"required": false, "request_timeout_ms": 5000, "preseeded": [)"
        R"({"origin": "https://CRM.example.com:443", "token_sha256": ")" +
            std::string(64, 'A') + R"("}]}})",
        "test.json", builtin_drivers()).value();
    CHECK_FALSE(config.pairing.required);
    CHECK(config.pairing.request_timeout_ms == 5000);
    REQUIRE(config.pairing.preseeded.size() == 1);
    CHECK(config.pairing.preseeded[0].origin == "https://crm.example.com");
    CHECK(config.pairing.preseeded[0].token_sha256 == std::string(64, 'a'));
    CHECK(parse_config("{}", "test.json", builtin_drivers())->pairing.required);

    CHECK_THAT(config_error(R"({"pairing": {"preseeded": [{"origin": "https://a.example", "token_sha256": "abc"}]}})"),
               Catch::Contains("pairing.preseeded[0].token_sha256") && Catch::Contains("64 hex digits"));
    CHECK_THAT(config_error(R"({"pairing": {"preseeded": [{"origin": "nope", "token_sha256": ")" + std::string(64, 'a') + R"("}]}})"),
               Catch::Contains("pairing.preseeded[0].origin"));
    CHECK_THAT(config_error(R"({"pairing": {"preseeded": {"origin": "https://a.example"}}})"),
               Catch::Contains("pairing.preseeded") && Catch::Contains("list"));
    CHECK_THAT(config_error(R"({"pairing": {"requird": true}})"), Catch::Contains("pairing.requird"));
    CHECK_THAT(config_error(R"({"pairing": true})"), Catch::Contains("pairing"));
}

TEST_CASE("a token opens only its own origin, and revoking it ends it", "[pairing]") {
    ScratchFile file;
    PairingService service(settings_for(file.path));
    auto waiter = std::make_shared<RecordingWaiter>();
    auto requested = service.request("https://crm.example.com", "CRM", waiter);
    REQUIRE(std::holds_alternative<PairingRequest>(requested));
    REQUIRE_FALSE(service.approve(std::get<PairingRequest>(requested).id));
    REQUIRE(waiter->token.size() == 43);
    // The page that asked uses the pairing from the moment it is approved.
    const auto listed = service.list().paired;
    REQUIRE(listed.size() == 1);
    CHECK_FALSE(listed[0].last_used.empty());
    CHECK(listed[0].last_used == listed[0].created);

    CHECK(std::get<std::string>(service.authenticate("https://crm.example.com", waiter->token)) ==
          waiter->pairing_id);
    CHECK(refusal_code(service.authenticate("https://other.example.com", waiter->token)) == "bad_token");
    CHECK(refusal_code(service.authenticate("https://crm.example.com", waiter->token + "x")) == "bad_token");
    CHECK(refusal_code(service.authenticate("https://crm.example.com", "")) == "bad_token");

    // The file holds the hash, never the token, and a new service reads it back.
    std::ifstream in(file.path);
    const std::string stored((std::istreambuf_iterator<char>(in)), {});
    CHECK(stored.find(waiter->token) == std::string::npos);
    CHECK(stored.find(pairing::token_sha256_hex(waiter->token)) != std::string::npos);
    PairingService reloaded(settings_for(file.path));
    CHECK(std::holds_alternative<std::string>(reloaded.authenticate("https://crm.example.com", waiter->token)));

    REQUIRE(std::holds_alternative<Revocation>(reloaded.revoke("https://crm.example.com")));
    CHECK(refusal_code(reloaded.authenticate("https://crm.example.com", waiter->token)) == "bad_token");
    CHECK(reloaded.paired_count() == 0);
}

TEST_CASE("a request is approved or denied once, and not after its page has gone", "[pairing]") {
    ScratchFile file;
    PairingService service(settings_for(file.path));
    auto waiter = std::make_shared<RecordingWaiter>();
    auto request = std::get<PairingRequest>(service.request("https://crm.example.com", "CRM", waiter));
    CHECK_FALSE(service.deny(request.id));
    CHECK(waiter->failure == "denied");
    CHECK(service.approve(request.id)->code == "no_such_request");

    auto gone = std::make_shared<RecordingWaiter>();
    auto orphan = std::get<PairingRequest>(service.request("https://crm.example.com", "CRM", gone));
    gone.reset();
    CHECK(service.approve(orphan.id)->code == "no_such_request");
    CHECK(service.list().pending.empty());
    CHECK(service.paired_count() == 0);
}

TEST_CASE("a corrupt pairings file is reported and read as empty", "[pairing]") {
    ScratchFile file;
    std::ofstream(file.path) << "{not json";
    PairingService service(settings_for(file.path));
    CHECK(service.paired_count() == 0);
    std::ofstream(file.path, std::ios::trunc)
        << R"({"pairings": [{"id": "x"}, {"id": "a1", "origin": "https://a.example", "token_sha256": ")"
        << std::string(64, 'b') << R"("}]})";
    CHECK(PairingService(settings_for(file.path)).paired_count() == 1);
}

TEST_CASE("a page's pairing name is kept without the characters that reorder or break a line", "[pairing]") {
    ScratchFile file;
    PairingService service(settings_for(file.path));
    auto waiter = std::make_shared<RecordingWaiter>();
    // U+202E (right-to-left override) would show "CRM moc.evil" reversed as a trusted name.
    auto request = std::get<PairingRequest>(
        service.request("https://crm.example.com", "CRM \u202e" "live.moc\nApproved", waiter));
    CHECK(request.name == "CRM ?live.moc?Approved");
    REQUIRE(service.list().pending.size() == 1);
    CHECK(service.list().pending.front().name == "CRM ?live.moc?Approved");
    auto plain = std::get<PairingRequest>(service.request("https://crm.example.com", "Zoë's CRM", waiter));
    CHECK(plain.name == "Zoë's CRM");
}
