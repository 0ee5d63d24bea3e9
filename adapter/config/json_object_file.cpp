#include "config/json_object_file.hpp"

#include <fstream>
#include <sstream>

namespace cti {

Result<nlohmann::json> read_json_object_file(const std::filesystem::path& file, JsonComments comments) {
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) return fail(ErrorKind::not_found, file.string() + ": does not exist");
    std::ifstream in(file, std::ios::binary);
    if (!in) return fail(ErrorKind::failed, file.string() + ": cannot be read");
    std::ostringstream text;
    text << in.rdbuf();
    auto value = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false, /*ignore_comments=*/comments == JsonComments::allowed);
    if (value.is_discarded() || !value.is_object())
        return fail(ErrorKind::invalid_input, file.string() + ": not a JSON object");
    return value;
}

}  // namespace cti
