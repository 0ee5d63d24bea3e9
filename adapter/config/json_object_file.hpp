// Reads a small JSON file that must hold one object (a policy file, a record, a config being
// rewritten by install-config). One reader, so every such file is refused the same way.
#pragma once

#include <filesystem>
#include <optional>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace cti {

class JsonObjectFileError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

enum class JsonComments { refused, allowed };

// nullopt when the file does not exist. Throws JsonObjectFileError naming the file when it
// cannot be read or is not a JSON object. Comments are allowed where the file's own reader
// takes them (the adapter's config), refused where a browser reads the file too.
std::optional<nlohmann::json> read_json_object_file(const std::filesystem::path& file, JsonComments comments);

}  // namespace cti
