#include "pairing/pairing_settings.hpp"

#include <cctype>

#include "config/config.hpp"
#include "settings/settings_json.hpp"
#include "pairing/tokens.hpp"

namespace cti {
namespace {

PreseededToken read_preseeded(const nlohmann::json& item, const std::string& where, const SettingsReader& file) {
    auto reader = settings_reader(item, where, file);
    PreseededToken token;
    std::string problem;
    token.origin = normalize_origin(reader.string("origin", ""), &problem);
    if (token.origin.empty())
        reader.reject("origin", problem.empty() ? "expected an origin such as https://crm.example.com" : problem);
    token.token_sha256 = reader.string("token_sha256", "", [](const std::string& text) -> std::string {
        return pairing::is_sha256_hex(text)
                   ? ""
                   : "expected the token's SHA-256 as 64 hex digits (`cti-adapter pair new-token ORIGIN` prints it)";
    });
    if (token.token_sha256.empty())
        reader.reject("token_sha256", "missing (the token's SHA-256, 64 hex digits)");
    for (auto& c : token.token_sha256) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    reader.reject_unknown();
    return token;
}

}  // namespace

PairingSettings PairingSettings::read(const SettingsReader& file, const nlohmann::json& section,
                                     std::string default_file) {
    // SettingsReader has no list of objects; `preseeded` is taken out and read item by item.
    auto rest = section;
    nlohmann::json preseeded = nlohmann::json::array();
    if (rest.is_object() && rest.contains("preseeded")) {
        preseeded = rest["preseeded"];
        rest.erase("preseeded");
    }
    auto reader = settings_reader(rest, "pairing", file);
    PairingSettings settings;
    settings.required = reader.boolean("required", settings.required);
    settings.file = reader.string("file", std::move(default_file));
    settings.request_timeout_ms =
        reader.integer("request_timeout_ms", settings.request_timeout_ms, 1'000, 3'600'000);
    settings.max_pending = static_cast<std::size_t>(
        reader.integer("max_pending", static_cast<std::int64_t>(settings.max_pending), 1, 100));
    settings.max_pending_per_origin = static_cast<std::size_t>(reader.integer(
        "max_pending_per_origin", static_cast<std::int64_t>(settings.max_pending_per_origin), 1, 100));
    reader.reject_unknown();
    if (!preseeded.is_array()) {
        reader.reject("preseeded", "expected a list of {\"origin\", \"token_sha256\"} objects, got " +
                                   describe_setting(preseeded));
        return settings;
    }
    for (std::size_t i = 0; i < preseeded.size(); ++i)
        settings.preseeded.push_back(
            read_preseeded(preseeded[i], "pairing.preseeded[" + std::to_string(i) + "]", file));
    return settings;
}

}  // namespace cti
