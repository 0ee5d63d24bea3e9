#include <catch2/catch.hpp>

#include "sip/sip_settings.hpp"

using namespace cti;
using namespace cti::sip;
using nlohmann::json;

namespace {

SipSettings read(const json& section) {
    SettingsReader reader(section, "sip");
    return read_sip_settings(reader);
}

std::string error_of(const json& section) {
    try {
        read(section);
    } catch (const SettingsError& error) {
        return error.what();
    }
    return "(no error)";
}

}  // namespace

TEST_CASE("sip settings: defaults and the derived address of record", "[sip]") {
    auto settings = read({{"registrar", "pbx.example.com"}, {"user", "1001"}});
    CHECK(settings.registrar_host == "pbx.example.com");
    CHECK(settings.registrar_port == 5060);
    CHECK(settings.domain == "pbx.example.com");
    CHECK(settings.auth_user == "1001");
    CHECK(settings.line_number == "1001");
    CHECK(settings.mode == SipSettings::Mode::monitor);
    CHECK(settings.decline_code == 486);
    CHECK(settings.aor() == "sip:1001@pbx.example.com");
    CHECK(settings.registrar_uri() == "sip:pbx.example.com");

    settings = read({{"registrar", "127.0.0.1:5080"}, {"user", "agent7"}, {"mode", "ring_only"},
                     {"decline_code", 603}, {"domain", "corp.example"}});
    CHECK(settings.registrar_port == 5080);
    CHECK(settings.ring_only());
    CHECK(settings.decline_code == 603);
    CHECK(settings.line_number.empty());  // "agent7" is no dial string
    CHECK(settings.registrar_uri() == "sip:corp.example:5080");
}

TEST_CASE("sip settings: mistakes name the key", "[sip]") {
    CHECK(error_of({{"user", "1001"}}).find("'sip.registrar': required") == 0);
    CHECK(error_of({{"registrar", "pbx"}}).find("'sip.user': required") == 0);
    CHECK(error_of({{"registrar", "pbx:99999"}, {"user", "1"}}).find("'sip.registrar'") == 0);
    CHECK(error_of({{"registrar", "pbx;evil"}, {"user", "1"}}).find("'sip.registrar'") == 0);
    CHECK(error_of({{"registrar", "pbx"}, {"user", "a b"}}).find("'sip.user'") == 0);
    CHECK(error_of({{"registrar", "pbx"}, {"user", "1"}, {"mode", "answer"}}).find("'sip.mode'") == 0);
    CHECK(error_of({{"registrar", "pbx"}, {"user", "1"}, {"decline_code", 404}}).find("'sip.decline_code'") == 0);
    CHECK(error_of({{"registrar", "pbx"}, {"user", "1"}, {"display_name", "a\"b"}}).find("'sip.display_name'") == 0);
    CHECK(error_of({{"registrar", "pbx"}, {"user", "1"}, {"pasword", "x"}}).find("'sip.pasword': unknown key") == 0);
}
