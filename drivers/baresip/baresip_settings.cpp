#include "baresip/baresip_settings.hpp"

#include <charconv>

namespace cti::baresip {
namespace {

std::string check_host_port(const std::string& text) {
    return parse_host_port(text) ? "" : "expected host:port with a port from 1 to 65535, got '" + text + "'";
}

// baresip reads its config and accounts line by line: a line break would inject settings.
std::string check_one_line(const std::string& text) {
    return text.find_first_of("\r\n") == std::string::npos ? "" : "must be a single line";
}

std::string check_dial_uri(const std::string& text) {
    if (text.find("{number}") == std::string::npos) return "must contain {number}";
    return check_one_line(text);
}

void replace_all(std::string& text, std::string_view what, const std::string& with) {
    for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + with.size()))
        text.replace(pos, what.size(), with);
}

}  // namespace

std::optional<HostPort> parse_host_port(const std::string& text) {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0) return std::nullopt;
    HostPort result;
    result.host = text.substr(0, colon);
    if (result.host.find_first_of(" \t\r\n") != std::string::npos) return std::nullopt;
    const char* first = text.data() + colon + 1;
    const char* last = text.data() + text.size();
    unsigned port = 0;
    auto [end, error] = std::from_chars(first, last, port);
    if (error != std::errc{} || end != last || first == last || port == 0 || port > 65535)
        return std::nullopt;
    result.port = static_cast<std::uint16_t>(port);
    return result;
}

std::string dial_uri_for(const std::string& uri_template, const std::string& domain,
                         const std::string& number) {
    // '#' starts a URI fragment; in a SIP user part it must be escaped.
    std::string user;
    for (char c : number) user += c == '#' ? std::string("%23") : std::string(1, c);
    std::string uri = uri_template;
    replace_all(uri, "{number}", user);
    replace_all(uri, "{domain}", domain);
    return uri;
}

Result<BaresipSettings> read_settings(SettingsReader& reader) {
    BaresipSettings settings;
    settings.ctrl = *parse_host_port(reader.string("ctrl_address", settings.ctrl.text(), check_host_port));
    settings.dial_uri = reader.string("dial_uri", settings.dial_uri, check_dial_uri);
    settings.dial_domain = reader.string("dial_domain", settings.dial_domain, check_one_line);
    settings.command_timeout_ms = reader.integer("command_timeout_ms", settings.command_timeout_ms, 100, 60000);
    settings.reconnect_min_ms = reader.integer("reconnect_min_ms", settings.reconnect_min_ms, 10, 60000);
    settings.reconnect_max_ms = reader.integer("reconnect_max_ms", settings.reconnect_max_ms, 10, 600000);
    if (settings.reconnect_max_ms < settings.reconnect_min_ms)
        reader.reject("reconnect_max_ms", "must not be less than reconnect_min_ms");
    settings.managed = reader.boolean("managed", settings.managed);
    settings.baresip_path = reader.string("baresip_path", settings.baresip_path, check_one_line);
    settings.sip_listen = reader.string("sip_listen", settings.sip_listen, check_host_port);
    settings.account = reader.string("account", "<sip:agent@" + settings.sip_listen + ">;regint=0", check_one_line);
    settings.config_dir = reader.string("config_dir", settings.config_dir, check_one_line);
    settings.start_timeout_ms = reader.integer("start_timeout_ms", settings.start_timeout_ms, 100, 120000);
    reader.reject_unknown();
    return reader.result(std::move(settings));
}

}  // namespace cti::baresip
