#include "service/discovery_file.hpp"

#include <chrono>
#include <fstream>
#include <sstream>

#include <fmt/chrono.h>
#include <nlohmann/json.hpp>

#include "platform/paths.hpp"

namespace cti {
namespace {

namespace fs = std::filesystem;

nlohmann::json to_json(const InstanceRecord& record) {
    return {{"pid", record.pid}, {"port", record.port}, {"version", record.version}, {"started", record.started}};
}

std::optional<InstanceRecord> from_json(const nlohmann::json& json) {
    if (!json.is_object() || !json.contains("pid") || !json["pid"].is_number_integer() ||
        !json.contains("port") || !json["port"].is_number_unsigned() || json["port"] > 65535)
        return std::nullopt;
    return InstanceRecord{json["pid"].get<std::int64_t>(), json["port"].get<std::uint16_t>(),
                          json.value("version", ""), json.value("started", "")};
}

}  // namespace

DiscoveryFile::DiscoveryFile(fs::path path) : path_(std::move(path)) {}

fs::path DiscoveryFile::default_path() { return platform::runtime_dir() / "adapter.json"; }

std::optional<InstanceRecord> DiscoveryFile::read() const {
    std::ifstream in(path_, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream text;
    text << in.rdbuf();
    const auto json = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
    return json.is_discarded() ? std::nullopt : from_json(json);
}

void DiscoveryFile::publish(const InstanceRecord& record) const {
    fs::create_directories(path_.parent_path());
    // Only this user has any business in the folder.
    fs::permissions(path_.parent_path(), fs::perms::owner_all, fs::perm_options::replace);
    auto temporary = path_;
    temporary += "." + std::to_string(record.pid) + ".tmp";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out << to_json(record).dump(2) << "\n";
        if (!out.flush()) throw std::runtime_error("cannot write " + temporary.string());
    }
    fs::rename(temporary, path_);
}

void DiscoveryFile::remove_if_owned_by(std::int64_t pid) const {
    const auto record = read();
    std::error_code ignored;
    if (record && record->pid == pid) fs::remove(path_, ignored);
}

std::string utc_timestamp_now() {
    return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", fmt::gmtime(std::chrono::system_clock::to_time_t(
                                                   std::chrono::system_clock::now())));
}

}  // namespace cti
