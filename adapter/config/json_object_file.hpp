// Reads a small JSON file that must hold one object (a policy file, a record, a config being
// rewritten by install-config). One reader, so every such file is refused the same way.
#pragma once

#include <filesystem>

#include <nlohmann/json.hpp>

#include "cti/result.hpp"

namespace cti {

enum class JsonComments { refused, allowed };

// The file's object. A missing file is `not_found` (install-config starts a new config then, the
// browser policy writer a new policy file); one that cannot be read is `failed`, one that is not a
// JSON object `invalid_input`; each message starts with the file's name. Comments are allowed
// where the file's own reader takes them (the adapter's config), refused where a browser reads
// the file too.
Result<nlohmann::json> read_json_object_file(const std::filesystem::path& file, JsonComments comments);

}  // namespace cti
