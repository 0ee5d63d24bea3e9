#include "cli/machine_config.hpp"

#include <charconv>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "config/config.hpp"
#include "config/json_object_file.hpp"

namespace cti {
namespace {

namespace fs = std::filesystem;

// No file yet is a new, empty config; an unreadable one is IT's to fix, never overwritten.
Result<nlohmann::json> read_existing(const fs::path& file) {
    auto existing = read_json_object_file(file, JsonComments::allowed);
    if (!existing && existing.error().kind == ErrorKind::not_found) return nlohmann::json::object();
    if (!existing)
        return fail(ErrorKind::invalid_input, existing.error().message + "; fix or delete it before installing");
    return existing;
}

// Straight over the old file, not renamed over it: a file IT made keeps its owner and mode.
Result<> write_config_text(const fs::path& file, const std::string& text) {
    std::error_code ec;
    if (file.has_parent_path()) fs::create_directories(file.parent_path(), ec);
    if (ec)
        return fail(ErrorKind::failed, file.string() + ": cannot create its folder " + file.parent_path().string() +
                                           ": " + ec.message());
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) return fail(ErrorKind::failed, file.string() + ": cannot write the config file");
    return {};
}

Result<int> parse_port(const std::string& text) {
    int port = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), port);
    if (error != std::errc() || end != text.data() + text.size() || port < 1 || port > 65535)
        return fail(ErrorKind::invalid_input,
                    "PORT (--port): expected a port number from 1 to 65535, got \"" + text + "\"");
    return port;
}

// "a,b; c" -> ["a", "b", "c"]: IT tools quote a list in different ways.
nlohmann::json split_origins(const std::string& text) {
    auto origins = nlohmann::json::array();
    std::string current;
    for (char c : text + ",") {
        if (c == ',' || c == ';' || c == ' ' || c == '\t') {
            if (!current.empty()) origins.push_back(current);
            current.clear();
        } else {
            current += c;
        }
    }
    return origins;
}

}  // namespace

Result<Config> write_machine_config(const fs::path& file, const MachineSettings& settings,
                                   std::span<const DriverFactory> drivers) {
    auto existing = read_existing(file);
    if (!existing) return fail(std::move(existing.error()));
    auto& config = *existing;
    // Nothing to set (the .deb's postinst, bringing the browser policies in step): the file is
    // only read, so a conffile with its comments stays byte for byte as IT or dpkg left it.
    std::error_code missing;
    if (settings.port.empty() && settings.allowed_origins.empty() && settings.driver.empty() &&
        fs::exists(file, missing))
        return load_config(file, true, drivers);
    if (!settings.port.empty()) {
        const auto port = parse_port(settings.port);
        if (!port) return fail(port.error());
        config["port"] = *port;
    }
    if (!settings.allowed_origins.empty()) config["allowed_origins"] = split_origins(settings.allowed_origins);
    if (!settings.driver.empty()) config["driver"] = settings.driver;
    const std::string text = config.dump(2) + "\n";
    auto written = parse_config(text, file.string(), drivers);  // naming the key
    if (!written) return written;
    if (auto stored = write_config_text(file, text); !stored) return fail(std::move(stored.error()));
    return written;
}

void remove_machine_config(const fs::path& file) {
    std::error_code ignored;
    fs::remove(file, ignored);
    if (file.has_parent_path() && fs::is_empty(file.parent_path(), ignored)) fs::remove(file.parent_path(), ignored);
}

}  // namespace cti
