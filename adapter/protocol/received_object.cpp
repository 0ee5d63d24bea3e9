#include "protocol/received_object.hpp"

namespace cti::protocol {

using nlohmann::json;

Result<ReceivedObject> ReceivedObject::parse(std::string_view text, std::string what) {
    json parsed;
    try {
        parsed = json::parse(text);
    } catch (const json::parse_error& error) {
        return fail(ErrorKind::invalid_input,
                    what + ": not valid JSON (error at byte " + std::to_string(error.byte) + ")");
    } catch (const json::exception&) {  // a number too large for a double (1e999)
        return fail(ErrorKind::invalid_input, what + ": holds a number too large to represent");
    }
    if (!parsed.is_object())
        return fail(ErrorKind::invalid_input, what + ": must be a JSON object, got " + parsed.type_name());
    auto root = std::make_shared<const json>(std::move(parsed));
    const auto* node = root.get();
    return ReceivedObject(std::move(root), node, std::move(what), "");
}

ReceivedObject::ReceivedObject(std::shared_ptr<const json> root, const json* node, std::string what, std::string path)
    : root_(std::move(root)), node_(node), what_(std::move(what)), path_(std::move(path)) {}

std::string ReceivedObject::path_of(const char* name) const {
    return path_.empty() ? std::string(name) : path_ + "." + name;
}

tl::unexpected<Error> ReceivedObject::wrong_type(const char* name, const json& value, std::string_view expected) const {
    return fail(ErrorKind::invalid_input, what_ + ": '" + path_of(name) + "' must be " + std::string(expected) +
                                              ", got " + value.type_name());
}

tl::unexpected<Error> ReceivedObject::unknown_name(const char* name, const std::string& text) const {
    return fail(ErrorKind::invalid_input, what_ + ": '" + path_of(name) + "' is '" + text + "', not a known value");
}

bool ReceivedObject::has(const char* name) const { return node_->contains(name); }

Result<const json*> ReceivedObject::field(const char* name) const {
    auto it = node_->find(name);
    if (it == node_->end()) return fail(ErrorKind::invalid_input, what_ + ": '" + path_of(name) + "' is missing");
    return &*it;
}

Result<std::string> ReceivedObject::string(const char* name) const {
    auto value = field(name);
    if (!value) return fail(value.error());
    if (!(*value)->is_string()) return wrong_type(name, **value, "a string");
    return (*value)->get<std::string>();
}

Result<std::optional<std::string>> ReceivedObject::optional_string(const char* name) const {
    auto it = node_->find(name);
    if (it == node_->end() || it->is_null()) return std::optional<std::string>{};
    if (!it->is_string()) return wrong_type(name, *it, "a string or null");
    return std::optional<std::string>(it->get<std::string>());
}

Result<bool> ReceivedObject::boolean(const char* name) const {
    auto value = field(name);
    if (!value) return fail(value.error());
    if (!(*value)->is_boolean()) return wrong_type(name, **value, "true or false");
    return (*value)->get<bool>();
}

Result<std::int64_t> ReceivedObject::integer(const char* name) const {
    auto value = field(name);
    if (!value) return fail(value.error());
    if (!(*value)->is_number_integer() ||
        ((*value)->is_number_unsigned() &&
         (*value)->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)))
        return wrong_type(name, **value, "an integer");
    return (*value)->get<std::int64_t>();
}

Result<std::uint64_t> ReceivedObject::count(const char* name, std::uint64_t max) const {
    auto value = field(name);
    if (!value) return fail(value.error());
    if (!(*value)->is_number_unsigned() || (*value)->get<std::uint64_t>() > max)
        return wrong_type(name, **value, "an integer from 0 to " + std::to_string(max));
    return (*value)->get<std::uint64_t>();
}

Result<ReceivedObject> ReceivedObject::object(const char* name) const {
    auto value = field(name);
    if (!value) return fail(value.error());
    if (!(*value)->is_object()) return wrong_type(name, **value, "an object");
    return ReceivedObject(root_, *value, what_, path_of(name));
}

Result<std::vector<ReceivedObject>> ReceivedObject::objects(const char* name) const {
    auto value = field(name);
    if (!value) return fail(value.error());
    if (!(*value)->is_array()) return wrong_type(name, **value, "an array of objects");
    std::vector<ReceivedObject> items;
    for (std::size_t i = 0; i < (*value)->size(); ++i) {
        const auto& item = (**value)[i];
        const auto where = path_of(name) + "[" + std::to_string(i) + "]";
        if (!item.is_object())
            return fail(ErrorKind::invalid_input,
                        what_ + ": '" + where + "' must be an object, got " + item.type_name());
        items.push_back(ReceivedObject(root_, &item, what_, where));
    }
    return items;
}

Result<std::vector<std::string>> ReceivedObject::strings(const char* name) const {
    auto value = field(name);
    if (!value) return fail(value.error());
    if (!(*value)->is_array()) return wrong_type(name, **value, "an array of strings");
    std::vector<std::string> items;
    for (std::size_t i = 0; i < (*value)->size(); ++i) {
        const auto& item = (**value)[i];
        if (!item.is_string())
            return fail(ErrorKind::invalid_input, what_ + ": '" + path_of(name) + "[" + std::to_string(i) +
                                                      "]' must be a string, got " + item.type_name());
        items.push_back(item.get<std::string>());
    }
    return items;
}

}  // namespace cti::protocol
