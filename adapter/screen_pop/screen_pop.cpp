#include "screen_pop/screen_pop.hpp"

#include <map>

#include "protocol/messages.hpp"

namespace cti {
namespace {

// The values a URL template may use (see the placeholders in screen_pop_settings.cpp).
std::map<std::string, std::string> url_values(const ScreenPop& pop) {
    const auto& party = other_party(pop.call, pop.call_type);
    const auto& called = pop.call_type == Direction::outbound ? pop.call.from : pop.call.to;
    std::map<std::string, std::string> values{{"number", pop.number.empty() ? party.number : pop.number},
                                              {"raw_number", party.number},
                                              {"call_id", pop.call.id},
                                              {"called", called.number}};
    if (pop.matches.size() == 1) {
        values["id"] = pop.matches.front().id;
        values["name"] = pop.matches.front().name;
    }
    return values;
}

std::string contact_value(const std::vector<Contact>& matches, const std::string& column) {
    if (matches.size() != 1) return {};  // several contacts: no one value is the right one
    const auto& contact = matches.front();
    if (column == "id") return contact.id;
    if (column == "name") return contact.name;
    auto it = contact.fields.find(column);
    return it == contact.fields.end() ? std::string{} : it->second;
}

std::string field_value(const ScreenPop& pop, const std::string& key) {
    const auto& call = pop.call;
    if (key == "from_number") return call.from.number;
    if (key == "from_name") return call.from.name;
    if (key == "to_number") return call.to.number;
    if (key == "to_name") return call.to.name;
    if (key == "call_type") return std::string(to_string(pop.call_type));
    if (key == "call_id") return call.id;
    if (key == "started_at") return protocol::iso8601(call.started_at);
    return contact_value(pop.matches, key.substr(std::string_view("contact.").size()));
}

}  // namespace

Direction screen_pop_call_type(const Call& call, const PhoneNumbers& numbers) {
    if (call.direction == Direction::inbound && numbers.is_internal(call.from.number)) return Direction::internal;
    return call.direction;
}

const Party& other_party(const Call& call, Direction call_type) {
    return call_type == Direction::outbound ? call.to : call.from;
}

ScreenPop build_screen_pop(const ScreenPopSettings& settings, const Call& call, Direction call_type,
                           std::string number, std::vector<Contact> matches) {
    ScreenPop pop{call, call_type, std::move(number), std::move(matches), PopKind::none, {}, {}};
    const auto& rules = settings.rules_for(call_type);
    const auto& action = rules.for_matches(pop.matches.size());
    pop.pop = action.kind;
    if (action.kind != PopKind::none) pop.url = action.url.expand(url_values(pop));
    for (const auto& key : rules.fields) pop.fields.emplace_back(key, field_value(pop, key));
    return pop;
}

}  // namespace cti
