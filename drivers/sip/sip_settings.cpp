#include "sip/sip_settings.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>

#include "cti/dial_string.hpp"

namespace cti::sip {
namespace {

// Values that end up inside SIP headers: no spaces, quotes, CR/LF or URI delimiters.
std::string token_problem(const std::string& text) {
    if (text.empty()) return "must not be empty";
    for (char c : text) {
        const bool ok = std::isalnum(static_cast<unsigned char>(c)) ||
                        std::string_view("-_.!~*'()&=+$,%").find(c) != std::string_view::npos;
        if (!ok) return "'" + text + "' may only hold letters, digits and -_.!~*'()&=+$,%";
    }
    return {};
}

std::string host_problem(const std::string& text) {
    if (text.empty()) return "must not be empty";
    for (char c : text)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-')
            return "'" + text + "' is not an IPv4 address or host name";
    return {};
}

constexpr const char* registrar_form =
    "expected the PBX's address as host[:port], e.g. \"pbx.example.com:5060\" (a sip: URI such as "
    "\"sip:pbx.example.com\" is taken too)";

void read_registrar(SettingsReader& reader, SipSettings& settings) {
    auto text = reader.string("registrar", "");
    if (text.empty()) return reader.reject("registrar", std::string("required: ") + registrar_form);
    // IT copies the registrar from a PBX's screen as a URI ("sip:pbx.acme.example"): the address
    // is what follows the scheme.
    auto lowered = text.substr(0, 5);
    std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lowered == "sips:")
        return reader.reject("registrar", "'" + text + "': sips: (SIP over TLS) is not supported; " + registrar_form);
    if (lowered.starts_with("sip:")) text = text.substr(4);
    if (text.find('@') != std::string::npos)
        return reader.reject("registrar", "'" + text + "' names an account; the account is \"user\", and " +
                                     registrar_form);
    auto colon = text.rfind(':');
    settings.registrar_host = text.substr(0, colon);
    if (auto problem = host_problem(settings.registrar_host); !problem.empty())
        return reader.reject("registrar", problem + "; " + registrar_form);
    if (colon == std::string::npos) return;
    auto port = text.substr(colon + 1);
    if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
        std::stoi(port) < 1 || std::stoi(port) > 65535)
        return reader.reject("registrar", "'" + port + "' is not a port number (1-65535); " + registrar_form);
    settings.registrar_port = static_cast<std::uint16_t>(std::stoi(port));
}

std::string one_line_problem(const std::string& text) {
    return text.find_first_of("\r\n") == std::string::npos ? "" : "must be one line";
}

// "Name: value", the auto-answer header; "" sends none.
void read_auto_answer(SettingsReader& reader, const SipSettings& settings,
                      ClickToDialSettings& dial) {
    const auto fallback = "Call-Info: <sip:" + settings.domain + ">;answer-after=0";
    const auto text =
        reader.string("auto_answer_header", fallback, [](const std::string& value) -> std::string {
            if (value.empty()) return {};
            const auto colon = value.find(':');
            if (colon == std::string::npos || colon == 0 ||
                !token_problem(value.substr(0, colon)).empty() ||
                value.find_first_not_of(' ', colon + 1) == std::string::npos)
                return "expected \"Header-Name: value\" (e.g. \"Alert-Info: "
                       "<http://localhost>;info=alert-autoanswer\"), got '" +
                       value + "'";
            return one_line_problem(value);
        });
    if (text.empty()) return;
    const auto colon = text.find(':');
    dial.auto_answer_name = text.substr(0, colon);
    dial.auto_answer_value = text.substr(text.find_first_not_of(' ', colon + 1));
}

ClickToDialSettings read_click_to_dial(SettingsReader& reader, const SipSettings& settings) {
    ClickToDialSettings dial;
    dial.enabled = reader.boolean("enabled", false);
    dial.phone_uri =
        reader.string("phone_uri", settings.aor(), [](const std::string& text) -> std::string {
            if (text.rfind("sip:", 0) != 0 || text.size() < 5)
                return "expected a SIP URI such as \"sip:1001@pbx.example.com\"";
            return text.find_first_of(" <>\"\r\n") == std::string::npos
                       ? ""
                       : "'" + text + "' is not a plain SIP URI";
        });
    read_auto_answer(reader, settings, dial);
    dial.target_domain = reader.string("target_domain", settings.domain, host_problem);
    dial.answer_timeout_ms =
        reader.integer("answer_timeout_ms", dial.answer_timeout_ms, 1000, 120000);
    reader.reject_unknown();
    return dial;
}

SipSettings::Transport read_transport(SettingsReader& reader) {
    const auto text =
        reader.string("transport", "udp", [](const std::string& value) -> std::string {
            return value == "udp" || value == "tcp"
                       ? ""
                       : "expected \"udp\" or \"tcp\", got '" + value + "'";
        });
    return text == "tcp" ? SipSettings::Transport::tcp : SipSettings::Transport::udp;
}

}  // namespace

Result<SipSettings> read_sip_settings(SettingsReader& reader) {
    SipSettings settings;
    read_registrar(reader, settings);
    settings.domain = reader.string("domain", settings.registrar_host, host_problem);
    settings.user = reader.string("user", "");
    if (settings.user.empty())
        reader.reject("user", "required: the agent's extension, e.g. \"1001\"");
    if (auto problem = token_problem(settings.user); !problem.empty())
        reader.reject("user", problem);
    settings.auth_user = reader.string("auth_user", settings.user, token_problem);
    settings.password = reader.string("password", "", one_line_problem);
    settings.display_name = reader.string("display_name", "", [](const std::string& text) -> std::string {
        return text.find_first_of("\"\\\r\n") == std::string::npos ? "" : "must not hold '\"', '\\' or line breaks";
    });
    settings.local_address = reader.string("local_address", "", [](const std::string& text) {
        return host_problem(text);
    });
    settings.local_port = static_cast<std::uint16_t>(reader.integer("local_port", 0, 0, 65535));
    settings.expires_s = reader.integer("expires_s", settings.expires_s, 10, 86400);
    settings.keepalive_ms = reader.integer("keepalive_ms", settings.keepalive_ms, 0, 3600000);
    settings.transaction_timeout_ms =
        reader.integer("transaction_timeout_ms", settings.transaction_timeout_ms, 100, 64000);
    settings.retry_initial_ms = reader.integer("retry_initial_ms", settings.retry_initial_ms, 10, 60000);
    settings.retry_max_ms = reader.integer("retry_max_ms", settings.retry_max_ms, 10, 600000);
    if (settings.retry_max_ms < settings.retry_initial_ms)
        reader.reject("retry_max_ms", "must not be less than retry_initial_ms");
    const auto mode = reader.string("mode", "monitor", [](const std::string& text) -> std::string {
        return text == "monitor" || text == "ring_only" ? "" : "expected \"monitor\" or \"ring_only\", got '" + text + "'";
    });
    settings.mode = mode == "ring_only" ? SipSettings::Mode::ring_only : SipSettings::Mode::monitor;
    settings.subscribe_expires_s =
        reader.integer("subscribe_expires_s", settings.subscribe_expires_s, 10, 86400);
    settings.subscription_check_ms =
        reader.integer("subscription_check_ms", settings.subscription_check_ms, 0, 3600000);
    if (settings.subscription_check_ms != 0 && settings.subscription_check_ms < 1000)
        reader.reject("subscription_check_ms", "must be 0 (off) or at least 1000");
    settings.decline_code = static_cast<int>(reader.integer("decline_code", settings.decline_code, 400, 699));
    if (settings.decline_code != 486 && settings.decline_code != 603)
        reader.reject("decline_code", "expected 486 (Busy Here) or 603 (Decline)");
    auto default_line = normalize_dial_string(settings.user).value_or("");
    settings.line_number = reader.string("line_number", default_line, [](const std::string& text) -> std::string {
        return normalize_dial_string(text) ? "" : "'" + text + "' is not a dial string (digits, *, #, leading +)";
    });
    if (!settings.line_number.empty()) settings.line_number = *normalize_dial_string(settings.line_number);
    settings.transport = read_transport(reader);
    auto dial_reader = reader.section("click_to_dial");
    settings.click_to_dial = read_click_to_dial(dial_reader, settings);
    reader.reject_unknown();
    return reader.result(std::move(settings));
}

}  // namespace cti::sip
