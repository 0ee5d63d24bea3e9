#include "screen_pop/lookup_response.hpp"

#include <nlohmann/json.hpp>

namespace cti {
namespace {

using nlohmann::json;

std::string scalar_text(const json& value) {
    if (value.is_string()) return value.get<std::string>();
    if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
    return value.dump();
}

void add_number(Contact& contact, const json& value, const PhoneNumbers& numbers) {
    if (!value.is_string()) return;
    if (auto number = numbers.normalize(value.get<std::string>())) contact.numbers.push_back(*number);
}

std::variant<Contact, std::string> contact_of(const json& record, const PhoneNumbers& numbers) {
    if (!record.is_object()) return std::string("not an object");
    auto id = record.find("id");
    if (id == record.end() || !(id->is_string() || id->is_number_integer()) || scalar_text(*id).empty())
        return std::string("'id' is missing (a string or an integer)");
    Contact contact;
    contact.source = "http";
    contact.id = scalar_text(*id);
    for (const auto& [key, value] : record.items()) {
        if (key == "id") continue;
        if (key == "name" && value.is_string()) contact.name = value.get<std::string>();
        else if ((key == "number" || key == "numbers") && value.is_array())
            for (const auto& item : value) add_number(contact, item, numbers);
        else if (key == "number" || key == "numbers") add_number(contact, value, numbers);
        else if (value.is_primitive() && !value.is_null()) contact.fields[key] = scalar_text(value);
    }
    return contact;
}

}  // namespace

std::variant<LookupAnswer, std::string> parse_lookup_response(const std::string& body,
                                                              const PhoneNumbers& numbers) {
    const auto parsed = json::parse(body, nullptr, false);
    if (parsed.is_discarded()) return std::string("the answer is not JSON");
    const json* records = &parsed;
    if (parsed.is_object() && parsed.contains("records")) records = &parsed["records"];
    if (!records->is_array()) return std::string("expected a JSON list of records (or {\"records\": [...]})");
    LookupAnswer answer;
    for (std::size_t i = 0; i < records->size(); ++i) {
        auto contact = contact_of((*records)[i], numbers);
        if (auto* problem = std::get_if<std::string>(&contact))
            answer.problems.push_back("record " + std::to_string(i + 1) + ": " + *problem);
        else
            answer.contacts.push_back(std::move(std::get<Contact>(contact)));
    }
    return answer;
}

}  // namespace cti
