#include "config/config.hpp"

#include <algorithm>
#include <fstream>
#include <optional>
#include <sstream>

#include "config/config_layers.hpp"
#include "cti/settings.hpp"
#include "settings/settings_json.hpp"
#include "platform/paths.hpp"

namespace cti {
namespace {

namespace fs = std::filesystem;

// "line 3, column 14" for a byte offset into `text`.
std::string position_of(const std::string& text, std::size_t byte) {
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i + 1 < byte && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

std::string origin_problem(const std::string& text) {
    std::string problem;
    normalize_origin(text, &problem);
    return problem;
}

const DriverFactory* find_driver(std::span<const DriverFactory> drivers, const std::string& name) {
    auto it = std::find_if(drivers.begin(), drivers.end(),
                           [&](const auto& factory) { return factory.name == name; });
    return it == drivers.end() ? nullptr : &*it;
}

std::string driver_names(std::span<const DriverFactory> drivers) {
    std::string names;
    for (const auto& factory : drivers) names += (names.empty() ? "" : ", ") + std::string(factory.name);
    return names;
}

void read_log(SettingsReader& reader, LogOptions& log) {
    log.level = reader.string("log_level", log.level, [](const std::string& level) -> std::string {
        static const char* levels[] = {"trace", "debug", "info", "warn", "error", "off"};
        for (auto* known : levels)
            if (level == known) return {};
        return "expected one of trace, debug, info, warn, error, off; got \"" + level + "\"";
    });
    log.file = reader.string("log_file", (platform::state_dir() / "cti-adapter.log").string());
    log.max_file_bytes = static_cast<std::size_t>(
        reader.integer("log_max_bytes", static_cast<std::int64_t>(log.max_file_bytes), 64 * 1024,
                       1024LL * 1024 * 1024));
    log.max_files = static_cast<std::size_t>(
        reader.integer("log_max_files", static_cast<std::int64_t>(log.max_files), 1, 100));
}

PortScheme read_port_scheme_name(SettingsReader& reader) {
    const auto name = reader.string("port_scheme", "fixed", [](const std::string& value) -> std::string {
        if (value == "fixed" || value == "per_user") return {};
        return "expected \"fixed\" or \"per_user\", got \"" + value + "\"";
    });
    return name == "per_user" ? PortScheme::per_user : PortScheme::fixed;
}

// Each user's block of ports must fit below 65535 and must not reach into the next user's.
void check_per_user_ports(const SettingsReader& reader, const Config& config) {
    const auto& scheme = config.port_scheme;
    for (std::size_t i = 0; i < config.port_fallbacks.size(); ++i) {
        const auto fallback = config.port_fallbacks[i];
        if (fallback < config.port || fallback >= config.port + scheme.stride)
            return reader.reject("port_fallbacks[" + std::to_string(i) + "]",
                                 "with port_scheme \"per_user\" every fallback must lie from port to port + "
                                "per_user_stride - 1 (" + std::to_string(config.port) + " to " +
                                    std::to_string(config.port + scheme.stride - 1) +
                                    "), or two users' ports overlap; got " + std::to_string(fallback));
    }
    const auto highest = std::int64_t{config.port} + std::int64_t{scheme.slots - 1} * scheme.stride +
                         scheme.stride - 1;
    if (config.port != 0 && highest > 65535)
        reader.reject("per_user_slots", "port + per_user_slots * per_user_stride must stay below 65536; "
                                              "the last user's ports would reach " + std::to_string(highest));
}

void read_port_scheme(SettingsReader& reader, Config& config) {
    auto& scheme = config.port_scheme;
    scheme.scheme = read_port_scheme_name(reader);
    scheme.stride = static_cast<std::uint16_t>(reader.integer("per_user_stride", scheme.stride, 1, 1000));
    scheme.slots = static_cast<std::uint16_t>(reader.integer("per_user_slots", scheme.slots, 1, 10000));
    if (scheme.scheme == PortScheme::per_user) check_per_user_ports(reader, config);
}

void read_limits(SettingsReader reader, Limits& limits) {
    auto size = [&](const char* key, std::size_t fallback, std::int64_t min, std::int64_t max) {
        return static_cast<std::size_t>(
            reader.integer(key, static_cast<std::int64_t>(fallback), min, max));
    };
    limits.max_message_bytes = size("max_message_bytes", limits.max_message_bytes, 1024, 64 * 1024);
    limits.client_queue_limit = size("client_queue_limit", limits.client_queue_limit, 8, 100'000);
    limits.handshake_timeout_ms =
        reader.integer("handshake_timeout_ms", limits.handshake_timeout_ms, 100, 600'000);
    limits.request_timeout_ms =
        reader.integer("request_timeout_ms", limits.request_timeout_ms, 100, 600'000);
    limits.auth_timeout_ms = reader.integer("auth_timeout_ms", limits.auth_timeout_ms, 100, 600'000);
    limits.idle_timeout_ms = reader.integer("idle_timeout_ms", limits.idle_timeout_ms, 1000, 86'400'000);
    limits.replay_buffer = size("replay_buffer", limits.replay_buffer, 16, 1'000'000);
    limits.socket_send_buffer =
        reader.integer("socket_send_buffer", limits.socket_send_buffer, 0, 64LL * 1024 * 1024);
    limits.max_connections = size("max_connections", limits.max_connections, 1, 100'000);
    limits.reserved_connections = size("reserved_connections", limits.reserved_connections, 1, 1000);
    limits.max_unauthenticated = size("max_unauthenticated", limits.max_unauthenticated, 1, 100'000);
    limits.handshakes_per_second = size("handshakes_per_second", limits.handshakes_per_second, 0, 100'000);
    limits.commands_per_minute = size("commands_per_minute", limits.commands_per_minute, 0, 1'000'000);
    limits.dials_per_minute = size("dials_per_minute", limits.dials_per_minute, 0, 100'000);
    reader.reject_unknown();
}

void read_tls(SettingsReader reader, TlsSettings& tls) {
    tls.enabled = reader.boolean("enabled", tls.enabled);
    tls.certificate_file = reader.string("certificate_file", tls.certificate_file);
    tls.key_file = reader.string("key_file", tls.key_file);
    // One without the other would pair IT's certificate with a key it does not belong to.
    if (tls.certificate_file.empty() != tls.key_file.empty())
        reader.reject(tls.certificate_file.empty() ? "certificate_file" : "key_file",
                      "give both tls.certificate_file and tls.key_file, or neither (the adapter then "
                      "makes its own)");
    reader.reject_unknown();
}

// The config read from `json` by `reader`, which records the first problem (and then the rest is
// not worth reading: the driver's section is checked only when all else is well).
Config read_settings(SettingsReader& reader, const nlohmann::json& json, const std::string& source,
                     std::span<const DriverFactory> drivers) {
    Config config;
    config.source = source;
    config.port = static_cast<std::uint16_t>(reader.integer("port", config.port, 0, 65535));
    std::vector<std::int64_t> fallback_defaults(config.port_fallbacks.begin(), config.port_fallbacks.end());
    config.port_fallbacks.clear();
    for (auto port : reader.integer_list("port_fallbacks", fallback_defaults, 1, 65535))
        config.port_fallbacks.push_back(static_cast<std::uint16_t>(port));
    read_port_scheme(reader, config);
    config.same_user_only = reader.boolean("same_user_only", config.same_user_only);
    config.allowed_origins = reader.string_list("allowed_origins", {}, origin_problem);
    for (auto& origin : config.allowed_origins) origin = normalize_origin(origin);
    config.driver = reader.string("driver", config.driver, [&](const std::string& name) -> std::string {
        if (find_driver(drivers, name)) return {};
        return "unknown driver \"" + name + "\"; this build has: " + driver_names(drivers);
    });
    read_log(reader, config.log);
    config.call_log_file = reader.string("call_log_file", (platform::data_dir() / "call-log.sqlite3").string());
    config.call_log_retention_days =
        reader.integer("call_log_retention_days", config.call_log_retention_days, 0, 36500);
    read_limits(reader.section("limits"), config.limits);
    config.dial_plan = DialPlanSettings::read(reader.section("dial_plan"));
    config.agent = AgentSettings::read(reader.section("agent"));
    config.screen_pop = ScreenPopSettings::read(reader.section("screen_pop"), config.dial_plan);
    reader.section("pairing");  // must be an object; read whole, with its list of objects
    config.pairing = PairingSettings::read(reader, json.value("pairing", nlohmann::json::object()),
                                           (platform::data_dir() / "pairings.json").string());
    read_tls(reader.section("tls"), config.tls);
    // Each driver's settings live under its own name; only the chosen one is read now, but
    // IT may keep sections for the others in the same file.
    for (const auto& factory : drivers) {
        auto section = reader.section(std::string(factory.name));
        if (factory.name == config.driver) {
            auto it = json.find(std::string(factory.name));
            if (it != json.end()) config.driver_settings = *it;
        }
        (void)section;
    }
    reader.reject_unknown();
    if (reader.problem()) return config;
    // Validates the driver's section now, at start-up.
    auto driver_reader = settings_reader(config.driver_settings, config.driver, reader);
    if (auto driver = find_driver(drivers, config.driver)->create(driver_reader); !driver)
        reader.reject(config.driver, driver.error().message);  // when the driver did not say which key
    return config;
}

// "FILE: key 'KEY': PROBLEM", naming the layer that sets the key.
Error config_problem(const Config& config, const SettingsProblem& problem) {
    return {ErrorKind::invalid_input,
            config.source_of(problem.key) + ": key '" + problem.key + "': " + problem.problem};
}

Result<nlohmann::json> parse_json(const std::string& text, const std::string& source) {
    try {
        return nlohmann::json::parse(text, nullptr, true, /*ignore_comments=*/true);
    } catch (const nlohmann::json::parse_error& error) {
        std::string detail = error.what();
        if (auto colon = detail.rfind(": "); colon != std::string::npos) detail = detail.substr(colon + 2);
        return fail(ErrorKind::invalid_input, source + ": JSON syntax error at " + position_of(text, error.byte) + ": " + detail);
    } catch (const nlohmann::json::out_of_range& error) {
        // Valid JSON text with a number beyond a double's range (1e999); the parser has no position.
        return fail(ErrorKind::invalid_input, source + ": a number is too large to represent (" + error.what() + ")");
    }
}

// The file's layer; nullopt when an optional file does not exist.
Result<std::optional<ConfigLayer>> read_layer(const fs::path& file, bool required) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        std::error_code ec;
        if (!required && !fs::exists(file, ec)) return std::nullopt;
        if (fs::exists(file, ec)) return fail(ErrorKind::failed, file.string() + ": cannot read the config file (permission denied?)");
        return fail(ErrorKind::not_found, file.string() + ": cannot read the config file (it does not exist)");
    }
    std::ostringstream text;
    text << in.rdbuf();
    auto settings = parse_json(text.str(), file.string());
    if (!settings) return fail(std::move(settings.error()));
    return ConfigLayer{file.string(), std::move(*settings)};
}

// Adds the layer of each file that exists (`required`: an error when it does not).
Result<> add_layer(std::vector<ConfigLayer>& layers, const fs::path& file, bool required) {
    auto layer = read_layer(file, required);
    if (!layer) return fail(std::move(layer.error()));
    if (*layer) layers.push_back(std::move(**layer));
    return {};
}

Result<Config> config_from_layers(std::vector<ConfigLayer> layers, std::span<const DriverFactory> drivers) {
    nlohmann::json merged = nlohmann::json::object();
    for (const auto& layer : layers) {
        if (!layer.settings.is_object())
            return fail(ErrorKind::invalid_input, layer.file + ": key '(top level)': expected an object, got " +
                                                      describe_setting(layer.settings));
        merged = merge_settings(std::move(merged), layer.settings);
    }
    const auto source = layers.empty() ? Config{}.source : layers.back().file;
    auto reader = settings_reader(merged, "");
    auto config = read_settings(reader, merged, source, drivers);
    config.layers = std::move(layers);
    if (const auto& problem = reader.problem()) return fail(config_problem(config, *problem));
    return config;
}

}  // namespace

std::string normalize_origin(const std::string& text, std::string* problem) {
    auto fail = [&](std::string why) {
        if (problem) *problem = std::move(why);
        return std::string{};
    };
    if (text.find('*') != std::string::npos)
        return fail("wildcards are not allowed; list each origin exactly, e.g. https://crm.example.com");
    std::string lower(text);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string scheme;
    if (lower.rfind("https://", 0) == 0) scheme = "https";
    else if (lower.rfind("http://", 0) == 0) scheme = "http";
    else return fail("expected an origin like https://crm.example.com (scheme http or https), got \"" + text + "\"");
    std::string rest = lower.substr(scheme.size() + 3);
    if (rest.empty()) return fail("the origin \"" + text + "\" has no host");
    if (rest.find_first_of("/?#@ \t") != std::string::npos)
        return fail("an origin has no path, query, user or spaces: write scheme://host[:port] only, got \"" + text + "\"");
    std::string host = rest, port;
    if (auto colon = rest.rfind(':'); colon != std::string::npos && rest.back() != ']') {
        host = rest.substr(0, colon);
        port = rest.substr(colon + 1);
        if (port.empty() || port.size() > 5 || !std::all_of(port.begin(), port.end(), ::isdigit) ||
            std::stoi(port) == 0 || std::stoi(port) > 65535)
            return fail("the port of \"" + text + "\" must be a number from 1 to 65535");
        port = std::to_string(std::stoi(port));  // "0443" -> "443", as a browser writes it
        if ((scheme == "https" && port == "443") || (scheme == "http" && port == "80")) port.clear();
    }
    if (host.empty()) return fail("the origin \"" + text + "\" has no host");
    if (problem) problem->clear();
    return scheme + "://" + host + (port.empty() ? "" : ":" + port);
}

Result<Config> parse_config(const std::string& text, const std::string& source,
                            std::span<const DriverFactory> drivers) {
    auto settings = parse_json(text, source);
    if (!settings) return fail(std::move(settings.error()));
    return config_from_layers({ConfigLayer{source, std::move(*settings)}}, drivers);
}

Result<Config> load_config(const fs::path& file, bool explicitly_given, std::span<const DriverFactory> drivers) {
    std::vector<ConfigLayer> layers;
    if (auto added = add_layer(layers, file, explicitly_given); !added) return fail(std::move(added.error()));
    return config_from_layers(std::move(layers), drivers);
}

Result<Config> load_layered_config(const fs::path& machine_file, const fs::path& user_file,
                                   std::span<const DriverFactory> drivers) {
    std::vector<ConfigLayer> layers;
    for (const auto& file : {machine_file, user_file})
        if (auto added = add_layer(layers, file, false); !added) return fail(std::move(added.error()));
    return config_from_layers(std::move(layers), drivers);
}

Result<std::unique_ptr<Driver>> create_driver(const Config& config, std::span<const DriverFactory> drivers) {
    const auto* factory = find_driver(drivers, config.driver);
    if (!factory)
        return fail(ErrorKind::invalid_input, config.source + ": key 'driver': unknown driver \"" + config.driver + "\"");
    auto reader = settings_reader(config.driver_settings, config.driver);
    auto driver = factory->create(reader);
    if (!driver && reader.problem()) return fail(config_problem(config, *reader.problem()));
    return driver;
}

}  // namespace cti
