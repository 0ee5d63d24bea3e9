#include "screen_pop/screen_pop_settings.hpp"

#include <algorithm>
#include <array>

namespace cti {
namespace {

const std::set<std::string> any_call_placeholders{"number", "raw_number", "call_id", "called"};
const std::set<std::string> record_placeholders{"id", "name", "number", "raw_number", "call_id", "called"};
const std::set<std::string> lookup_placeholders{"number", "raw_number"};
const std::array<std::string_view, 7> call_fields{"from_number", "from_name", "to_number", "to_name",
                                                  "call_type",   "call_id",   "started_at"};

std::string digits_check(const std::string& text) {
    if (std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) return {};
    return "expected digits only, got \"" + text + "\"";
}

std::string field_check(const std::string& name) {
    if (std::find(call_fields.begin(), call_fields.end(), name) != call_fields.end()) return {};
    if (name.rfind("contact.", 0) == 0 && name.size() > 8) return {};
    return "unknown call field \"" + name +
           "\"; use from_number, from_name, to_number, to_name, call_type, call_id, started_at, "
           "contact.id, contact.name or contact.<column of the directory>";
}

std::string pop_kind_check(const std::string& text) {
    if (text == "none" || text == "record" || text == "search" || text == "new_record") return {};
    return "expected one of none, record, search, new_record; got \"" + text + "\"";
}

PopKind pop_kind(const std::string& text) {
    if (text == "record") return PopKind::record;
    if (text == "search") return PopKind::search;
    if (text == "new_record") return PopKind::new_record;
    return PopKind::none;
}

// The template at `key`; empty, with the problem recorded in `reader`, when it names an unknown
// placeholder.
UrlTemplate url_template(const SettingsReader& reader, const std::string& key, const std::string& text,
                                        const std::set<std::string>& known) {
    auto parsed = UrlTemplate::parse(text, known);
    if (auto* problem = std::get_if<std::string>(&parsed)) {
        reader.reject(key, *problem);
        return {};
    }
    return std::get<UrlTemplate>(std::move(parsed));
}

// {"pop": "record", "url": "https://crm.example.com/contacts/{id}"}
PopAction read_action(SettingsReader reader, bool single) {
    PopAction action;
    action.kind = pop_kind(reader.string("pop", "none", pop_kind_check));
    if (action.kind == PopKind::record && !single)
        reader.reject("pop", "a record pop needs exactly one match: use it in single_match, "
                             "and search or new_record here");
    const auto url = reader.string("url", "");
    if (action.kind == PopKind::none && !url.empty())
        reader.reject("url", "a pop of kind none opens nothing: remove the url or set pop");
    if (action.kind != PopKind::none && url.empty())
        reader.reject("url", "missing: a pop of kind " + std::string(to_string(action.kind)) + " needs a URL template");
    if (!url.empty())
        action.url = url_template(reader, "url", url,
                                  action.kind == PopKind::record ? record_placeholders : any_call_placeholders);
    reader.reject_unknown();
    return action;
}

CallTypeRules read_rules(SettingsReader reader, std::vector<std::string> default_fields) {
    CallTypeRules rules;
    rules.fields = reader.string_list("fields", std::move(default_fields), field_check);
    rules.no_match = read_action(reader.section("no_match"), false);
    rules.single_match = read_action(reader.section("single_match"), true);
    rules.multiple_matches = read_action(reader.section("multiple_matches"), false);
    reader.reject_unknown();
    return rules;
}

// Customers' numbers must not cross the network in clear text: the HTTP lookup goes to a
// service on this computer (a CRM connector or a proxy that adds TLS and credentials).
std::string lookup_url_check(const std::string& url) {
    const std::array<std::string_view, 3> hosts{"http://127.0.0.1", "http://localhost", "http://[::1]"};
    for (auto host : hosts)
        if (url.rfind(host, 0) == 0 && (url.size() == host.size() || url[host.size()] == ':' || url[host.size()] == '/'))
            return {};
    return "expected an http:// URL on this computer (127.0.0.1, localhost or [::1]), got \"" + url +
           "\"; put a local proxy in front of a remote service";
}

}  // namespace

std::string_view to_string(PopKind kind) {
    switch (kind) {
        case PopKind::none: return "none";
        case PopKind::record: return "record";
        case PopKind::search: return "search";
        case PopKind::new_record: return "new_record";
    }
    return "none";
}

const PopAction& CallTypeRules::for_matches(std::size_t count) const {
    if (count == 0) return no_match;
    return count == 1 ? single_match : multiple_matches;
}

const CallTypeRules& ScreenPopSettings::rules_for(Direction call_type) const {
    switch (call_type) {
        case Direction::inbound: return inbound;
        case Direction::outbound: return outbound;
        case Direction::internal: return internal;
    }
    return inbound;
}

ScreenPopSettings ScreenPopSettings::read(SettingsReader reader, const DialPlanSettings& dial_plan) {
    ScreenPopSettings settings;
    auto& numbers = settings.numbers;
    numbers.country_code = reader.string("country_code", dial_plan.country_code, digits_check);
    numbers.trunk_prefix = reader.string("trunk_prefix", dial_plan.long_distance_prefix, digits_check);
    numbers.international_prefix = reader.string("international_prefix", dial_plan.international_prefix, digits_check);
    numbers.internal_max_digits = static_cast<std::size_t>(
        reader.integer("internal_max_digits", static_cast<std::int64_t>(dial_plan.max_internal_digits), 0, 15));
    settings.directory_file = reader.string("directory_file", "");
    if (auto url = reader.string("lookup_url", "", lookup_url_check); !url.empty())
        settings.lookup_url = url_template(reader, "lookup_url", url, lookup_placeholders);
    settings.lookup_timeout_ms = reader.integer("lookup_timeout_ms", settings.lookup_timeout_ms, 50, 10'000);
    settings.lookup_cache_seconds = reader.integer("lookup_cache_seconds", settings.lookup_cache_seconds, 0, 86'400);
    settings.inbound = read_rules(reader.section("inbound"), {"from_name", "from_number", "to_number"});
    settings.outbound = read_rules(reader.section("outbound"), {"to_name", "to_number"});
    settings.internal = read_rules(reader.section("internal"), {"from_name", "from_number"});
    reader.reject_unknown();
    return settings;
}

}  // namespace cti
