// Writing a small file that another process may read at any moment (the discovery file, the
// pairings, the adapter's own TLS key and certificate): written beside it and renamed over it,
// so a reader finds the old file or the new one, never half of one. std::filesystem's rename
// replaces the old file on every system, so one implementation serves them all.
#pragma once

#include <filesystem>
#include <optional>
#include <string_view>

#include "cti/result.hpp"

namespace cti::platform {

// Creates `folder` and the folders above it that are missing; with `mode`, `folder` then has
// exactly that mode. `failed`, naming the folder and the system's reason, when it cannot.
Result<> create_folder(const std::filesystem::path& folder, std::optional<std::filesystem::perms> mode = std::nullopt);

// Writes `text` to `file` + `partial_suffix`, then renames that over `file`; its folder must exist.
// With `mode` the partial file has that mode while it is still empty, so a private file is
// never readable by others, not even for a moment. `failed`, naming the file, when it cannot.
Result<> replace_file(const std::filesystem::path& file, std::string_view text, std::string_view partial_suffix,
                      std::optional<std::filesystem::perms> mode = std::nullopt);

}  // namespace cti::platform
