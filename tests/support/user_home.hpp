// A user's own folders for one test: config, state (logs), data (call log) and runtime (the
// discovery file) under a scratch directory, passed to the executable as XDG_* variables.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "support/temp_dir.hpp"

namespace cti::test {

struct UserHome {
    TempDir dir;

    std::filesystem::path config_dir() const { return dir.path / "config" / "cti-adapter"; }
    std::filesystem::path runtime_dir() const { return dir.path / "runtime" / "cti-adapter"; }
    std::filesystem::path discovery_file() const { return runtime_dir() / "adapter.json"; }
    std::filesystem::path log_file() const { return dir.path / "state" / "cti-adapter" / "cti-adapter.log"; }

    // Writes the user's own config.json (where the adapter looks for it) and returns its path.
    std::string write_user_config(const std::string& text) const {
        std::filesystem::create_directories(config_dir());
        return dir.write("config/cti-adapter/config.json", text);
    }

    std::vector<std::string> env() const {
        const auto root = dir.path.string();
        return {"HOME=" + root, "XDG_CONFIG_HOME=" + root + "/config", "XDG_STATE_HOME=" + root + "/state",
                "XDG_DATA_HOME=" + root + "/data", "XDG_RUNTIME_DIR=" + root + "/runtime"};
    }
};

}  // namespace cti::test
