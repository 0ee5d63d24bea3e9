#include "config/json_object_file.hpp"

#include <fstream>
#include <sstream>

namespace cti {

std::optional<nlohmann::json> read_json_object_file(const std::filesystem::path& file, JsonComments comments) {
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) return std::nullopt;
    std::ifstream in(file, std::ios::binary);
    if (!in) throw JsonObjectFileError(file.string() + ": cannot be read");
    std::ostringstream text;
    text << in.rdbuf();
    auto value = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false, /*ignore_comments=*/comments == JsonComments::allowed);
    if (value.is_discarded() || !value.is_object()) throw JsonObjectFileError(file.string() + ": not a JSON object");
    return value;
}

}  // namespace cti
