#include "config/config_layers.hpp"

#include "config/config.hpp"

namespace cti {
namespace {

// "simulator.busy_numbers[1]" -> "simulator", "busy_numbers", "[1]".
std::vector<std::string> split_key(const std::string& key) {
    std::vector<std::string> parts;
    std::string part;
    for (char c : key) {
        if (c == '.' || c == '[') {
            if (!part.empty()) parts.push_back(part);
            part = c == '[' ? "[" : "";
        } else {
            part += c;
        }
    }
    if (!part.empty()) parts.push_back(part);
    return parts;
}

const nlohmann::json* child(const nlohmann::json& value, const std::string& part) {
    if (part.front() == '[' && value.is_array()) {
        const auto index = std::stoul(part.substr(1));
        return index < value.size() ? &value[index] : nullptr;
    }
    if (!value.is_object()) return nullptr;
    auto it = value.find(part);
    return it == value.end() ? nullptr : &*it;
}

// "simulator.busy_numbers[1]" -> "simulator.busy_numbers" -> "simulator" -> "".
std::string parent_key(const std::string& key) {
    const auto end = key.find_last_of(".[");
    return end == std::string::npos ? std::string() : key.substr(0, end);
}

}  // namespace

nlohmann::json merge_settings(nlohmann::json base, const nlohmann::json& over) {
    if (!base.is_object() || !over.is_object()) return over;
    for (const auto& [key, value] : over.items()) {
        auto it = base.find(key);
        base[key] = it == base.end() ? value : merge_settings(std::move(*it), value);
    }
    return base;
}

bool holds_key(const nlohmann::json& settings, const std::string& key) {
    const nlohmann::json* value = &settings;
    for (const auto& part : split_key(key)) {
        value = child(*value, part);
        if (!value) return false;
    }
    return true;
}

std::string Config::source_of(const std::string& key) const {
    // The later layer wins a key, so it is the one to blame for it. A key no file holds (a
    // required one that is missing) belongs to the file holding its section.
    for (auto path = key; !path.empty(); path = parent_key(path))
        for (auto layer = layers.rbegin(); layer != layers.rend(); ++layer)
            if (holds_key(layer->settings, path)) return layer->file;
    return source;
}

}  // namespace cti
