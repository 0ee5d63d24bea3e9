#include "doctor/support_bundle.hpp"

#include <algorithm>
#include <fstream>

#include "doctor/log_tail.hpp"
#include "doctor/url_redaction.hpp"
#include "service/discovery_file.hpp"
#include "version.hpp"

namespace cti {
namespace {

constexpr int bundle_shape_version = 1;
constexpr std::size_t bundle_log_lines = 500;

bool names_a_secret(std::string key) {
    std::transform(key.begin(), key.end(), key.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    // "auth" covers the SIP auth_user (an account name an attacker could pair with a password).
    for (const char* word : {"password", "passwd", "passphrase", "secret", "token", "credential", "private_key",
                             "api_key", "apikey", "api-key", "auth", "session", "cookie", "bearer", "signature"})
        if (key.find(word) != std::string::npos) return true;
    return false;
}

nlohmann::json config_files(const Diagnosis& diagnosis) {
    auto files = nlohmann::json::array();
    if (!diagnosis.config) return files;
    for (const auto& layer : diagnosis.config->layers)
        files.push_back({{"file", layer.file}, {"settings", without_secrets(layer.settings)}});
    return files;
}

nlohmann::json log_tail(const Diagnosis& diagnosis) {
    if (!diagnosis.config || diagnosis.config->log.file.empty()) return nullptr;
    auto lines = nlohmann::json::array();
    for (const auto& line : last_log_lines(diagnosis.config->log.file, bundle_log_lines))
        lines.push_back(mask_numbers(line));
    return {{"file", diagnosis.config->log.file}, {"lines", std::move(lines)}};
}

}  // namespace

nlohmann::json without_secrets(nlohmann::json settings) {
    if (settings.is_array())
        for (auto& item : settings) item = without_secrets(std::move(item));
    if (!settings.is_object()) return settings;
    for (auto entry = settings.begin(); entry != settings.end(); ++entry)
        entry.value() = names_a_secret(entry.key()) ? nlohmann::json("(removed)") : without_secrets(std::move(entry.value()));
    return settings;
}

nlohmann::json without_url_secrets_anywhere(nlohmann::json value) {
    if (value.is_string()) return without_url_secrets(value.get<std::string>());
    if (value.is_array() || value.is_object())
        for (auto& item : value) item = without_url_secrets_anywhere(std::move(item));
    return value;
}

nlohmann::json make_support_bundle(const Diagnosis& diagnosis) {
    // A URL's credentials and parameters may sit in any string: a pop URL template in the
    // config, a lookup address in a log line or in a doctor's detail.
    return without_url_secrets_anywhere({{"bundle", bundle_shape_version},
                                         {"created", utc_timestamp_now()},
                                         {"version", std::string(adapter_version)},
                                         {"doctor", diagnosis.report.to_json()},
                                         {"config_files", config_files(diagnosis)},
                                         {"status", diagnosis.status},
                                         {"log", log_tail(diagnosis)}});
}

std::string bundle_name_problem(const std::filesystem::path& file) {
    if (file.extension() == ".json") return {};
    return "the support bundle is one JSON file: name it " + file.stem().string() +
           ".json (compress it yourself if the ticket wants an archive)";
}

Result<> write_support_bundle(const std::filesystem::path& file, const Diagnosis& diagnosis) {
    {
        std::ofstream out(file, std::ios::binary | std::ios::trunc);
        out << make_support_bundle(diagnosis).dump(2) << "\n";
        if (!out.flush()) return fail(ErrorKind::failed, "cannot write the support bundle " + file.string());
    }
    // The bundle holds the log's end and the config: its owner's alone, like the log itself.
    std::error_code ec;
    std::filesystem::permissions(file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
                                 std::filesystem::perm_options::replace, ec);
    if (ec)
        return fail(ErrorKind::failed,
                    "cannot make the support bundle " + file.string() + " its owner's alone: " + ec.message());
    return {};
}

}  // namespace cti
