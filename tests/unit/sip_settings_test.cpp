#include <catch2/catch.hpp>

#include "settings/settings_json.hpp"
#include "sip/sip_settings.hpp"

using namespace cti;
using namespace cti::sip;
using nlohmann::json;

namespace {

Result<SipSettings> read_result(const json& section) {
    auto reader = settings_reader(section, "sip");
    return read_sip_settings(reader);
}

SipSettings read(const json& section) { return read_result(section).value(); }

std::string error_of(const json& section) {
    const auto settings = read_result(section);
    if (settings) return "(no error)";
    CHECK(settings.error().kind == ErrorKind::invalid_input);
    return settings.error().message;
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

    // A sip: URI, as a PBX's screen shows it (ADMIN.md's example).
    settings = read({{"registrar", "sip:pbx.acme.example"}, {"user", "1001"}});
    CHECK(settings.registrar_host == "pbx.acme.example");
    CHECK(settings.registrar_port == 5060);
    settings = read({{"registrar", "SIP:pbx.acme.example:5080"}, {"user", "1001"}});
    CHECK(settings.registrar_host == "pbx.acme.example");
    CHECK(settings.registrar_port == 5080);
}

TEST_CASE("sip settings: mistakes name the key", "[sip]") {
    CHECK(error_of({{"user", "1001"}}).find("'sip.registrar': required") == 0);
    CHECK(error_of({{"registrar", "pbx"}}).find("'sip.user': required") == 0);
    CHECK(error_of({{"registrar", "pbx:99999"}, {"user", "1"}}).find("'sip.registrar'") == 0);
    CHECK(error_of({{"registrar", "pbx;evil"}, {"user", "1"}}).find("'sip.registrar'") == 0);
    // The message says what the key takes.
    CHECK_THAT(error_of({{"registrar", "pbx:99999"}, {"user", "1"}}), Catch::Contains("host[:port]"));
    CHECK_THAT(error_of({{"registrar", "sips:pbx.example.com"}, {"user", "1"}}), Catch::Contains("not supported"));
    CHECK_THAT(error_of({{"registrar", "sip:1001@pbx.example.com"}, {"user", "1"}}), Catch::Contains("names an account"));
    CHECK(error_of({{"registrar", "pbx"}, {"user", "a b"}}).find("'sip.user'") == 0);
    CHECK(error_of({{"registrar", "pbx"}, {"user", "1"}, {"mode", "answer"}}).find("'sip.mode'") == 0);
    CHECK(error_of({{"registrar", "pbx"}, {"user", "1"}, {"decline_code", 404}}).find("'sip.decline_code'") == 0);
    CHECK(error_of({{"registrar", "pbx"}, {"user", "1"}, {"display_name", "a\"b"}}).find("'sip.display_name'") == 0);
    CHECK(error_of({{"registrar", "pbx"}, {"user", "1"}, {"pasword", "x"}}).find("'sip.pasword': unknown key") == 0);
}

TEST_CASE("sip settings: transport and click-to-dial", "[sip]") {
    auto settings = read({{"registrar", "pbx.example.com"}, {"user", "1001"}});
    CHECK_FALSE(settings.tcp());
    CHECK_FALSE(settings.click_to_dial.enabled);
    CHECK(settings.click_to_dial.phone_uri == "sip:1001@pbx.example.com");
    CHECK(settings.click_to_dial.auto_answer_name == "Call-Info");
    CHECK(settings.click_to_dial.auto_answer_value == "<sip:pbx.example.com>;answer-after=0");
    CHECK(settings.click_to_dial.target_domain == "pbx.example.com");
    CHECK(settings.click_to_dial.answer_timeout_ms == 15000);

    settings =
        read({{"registrar", "pbx.example.com"},
              {"user", "1001"},
              {"transport", "tcp"},
              {"click_to_dial",
               {{"enabled", true},
                {"phone_uri", "sip:1001-desk@pbx.example.com"},
                {"auto_answer_header", "Alert-Info: <http://localhost>;info=alert-autoanswer"},
                {"target_domain", "gw.example.com"},
                {"answer_timeout_ms", 5000}}}});
    CHECK(settings.tcp());
    CHECK(settings.click_to_dial.enabled);
    CHECK(settings.click_to_dial.phone_uri == "sip:1001-desk@pbx.example.com");
    CHECK(settings.click_to_dial.auto_answer_name == "Alert-Info");
    CHECK(settings.click_to_dial.auto_answer_value == "<http://localhost>;info=alert-autoanswer");
    CHECK(settings.click_to_dial.target_domain == "gw.example.com");
    CHECK(settings.click_to_dial.answer_timeout_ms == 5000);

    settings = read({{"registrar", "pbx"},
                     {"user", "1001"},
                     {"click_to_dial", {{"enabled", true}, {"auto_answer_header", ""}}}});
    CHECK(settings.click_to_dial.auto_answer_name.empty());
}

TEST_CASE("sip settings: transport and click-to-dial mistakes name the key", "[sip]") {
    const json base = {{"registrar", "pbx"}, {"user", "1001"}};
    auto with = [&](const std::string& key, const json& value) {
        auto section = base;
        section[key] = value;
        return error_of(section);
    };
    CHECK(with("transport", "tls").find("'sip.transport': expected \"udp\" or \"tcp\"") == 0);
    CHECK(with("click_to_dial", {{"auto_answer_header", "no colon here"}})
              .find("'sip.click_to_dial.auto_answer_header'") == 0);
    CHECK(with("click_to_dial", {{"auto_answer_header", "Call-Info:"}})
              .find("'sip.click_to_dial.auto_answer_header'") == 0);
    CHECK(with("click_to_dial", {{"phone_uri", "1001"}}).find("'sip.click_to_dial.phone_uri'") ==
          0);
    CHECK(with("click_to_dial", {{"answer_timeout_ms", 10}})
              .find("'sip.click_to_dial.answer_timeout_ms'") == 0);
    CHECK(
        with("click_to_dial", {{"enable", true}}).find("'sip.click_to_dial.enable': unknown key") ==
        0);
    CHECK(with("click_to_dial", "yes").find("'sip.click_to_dial': expected an object") == 0);
}
