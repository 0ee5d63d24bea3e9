#include "service/discovery_file.hpp"

#include <chrono>
#include <fstream>
#include <sstream>

#include <fmt/chrono.h>
#include <nlohmann/json.hpp>

#include "platform/file_replacement.hpp"
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

Result<> DiscoveryFile::publish(const InstanceRecord& record) const {
    // Only this user has any business in the folder.
    if (auto folder = platform::create_folder(path_.parent_path(), fs::perms::owner_all); !folder) return folder;
    // The pid in the partial file's name: two adapters starting at once never write one file.
    return platform::replace_file(path_, to_json(record).dump(2) + "\n", "." + std::to_string(record.pid) + ".tmp");
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
