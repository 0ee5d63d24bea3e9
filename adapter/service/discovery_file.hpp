// The discovery file: "an adapter runs for this user, on this port". It lives in the user's
// runtime folder (platform::runtime_dir()/adapter.json) while an adapter runs; a second
// `cti-adapter run` and `cti-adapter doctor` read it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "cti/result.hpp"

namespace cti {

struct InstanceRecord {
    std::int64_t pid = 0;
    std::uint16_t port = 0;
    std::string version;
    std::string started;  // UTC, e.g. 2026-11-21T06:14:46Z
};

class DiscoveryFile {
public:
    explicit DiscoveryFile(std::filesystem::path path = default_path());
    static std::filesystem::path default_path();

    const std::filesystem::path& path() const { return path_; }

    // nullopt when there is no file or it is not a record (a half-written or foreign file).
    std::optional<InstanceRecord> read() const;
    // Written to a temporary file and renamed over, so a reader never sees half a record.
    // `failed`, naming the folder or file, when it cannot be written.
    Result<> publish(const InstanceRecord& record) const;
    // Removes the file when it still names `pid`: never another instance's record.
    void remove_if_owned_by(std::int64_t pid) const;

private:
    std::filesystem::path path_;
};

// The current time as the record's `started` value.
std::string utc_timestamp_now();

}  // namespace cti
