// Caller lookup and screen-pop rules: E.164 numbers, the directory CSV, URL templates, the
// rules per call type and match count, the HTTP lookup's answer, the config section.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "../support/temp_dir.hpp"
#include "config/config.hpp"
#include "cti/driver_registry.hpp"
#include "support/result_checks.hpp"
#include "protocol/messages.hpp"
#include "screen_pop/directory_csv.hpp"
#include "screen_pop/directory_file.hpp"
#include "screen_pop/lookup_response.hpp"
#include "screen_pop/screen_pop.hpp"

using namespace cti;

namespace {

PhoneNumbers north_america() { return PhoneNumbers({"1", "1", "011", 5}); }
PhoneNumbers united_kingdom() { return PhoneNumbers({"44", "0", "00", 4}); }

ScreenPopSettings settings_from(const std::string& json) {
    return parse_config(json, "test.json", builtin_drivers()).value().screen_pop;
}

std::string config_error(const std::string& json) {
    return test::error_message(parse_config(json, "test.json", builtin_drivers()));
}

Call inbound_call(const std::string& from, const std::string& name = "") {
    Call call;
    call.id = "c9afe9e4-7";
    call.direction = Direction::inbound;
    call.from = {from, name};
    call.to = {"1001", "Agent"};
    return call;
}

Contact contact(const std::string& id, const std::string& name) {
    return Contact{id, name, {"+14155550123"}, {{"company", "Acme & Sons"}}, "directory"};
}

const char* crm_rules = R"({"screen_pop": {"country_code": "1", "trunk_prefix": "1", "inbound": {
    "fields": ["from_number", "contact.name", "contact.company"],
    "no_match": {"pop": "new_record", "url": "https://crm.example.com/contacts/new?phone={number}"},
    "single_match": {"pop": "record", "url": "https://crm.example.com/contacts/{id}"},
    "multiple_matches": {"pop": "search", "url": "https://crm.example.com/search?q={number}"}}}})";

}  // namespace

TEST_CASE("screen pop: numbers become E.164 with the default country", "[screen_pop][numbers]") {
    auto na = north_america();
    CHECK(na.normalize("+1 (415) 555-0123") == "+14155550123");
    CHECK(na.normalize("(415) 555-0123") == "+14155550123");
    CHECK(na.normalize("1 415 555 0123") == "+14155550123");
    CHECK(na.normalize("011 44 20 7123 4567") == "+442071234567");
    CHECK(na.normalize("1001") == "1001");  // an extension stays as it is
    CHECK(na.normalize("anonymous") == std::nullopt);
    CHECK(na.normalize("") == std::nullopt);
    CHECK(na.normalize("*67") == std::nullopt);

    auto uk = united_kingdom();
    CHECK(uk.normalize("020 7123 4567") == "+442071234567");
    CHECK(uk.normalize("+44 (0)20 7123 4567") == "+442071234567");
    CHECK(uk.normalize("00 1 415 555 0123") == "+14155550123");
    CHECK(uk.is_internal("2001"));
    CHECK_FALSE(uk.is_internal("20011"));
    CHECK_FALSE(uk.is_internal("+4420"));

    PhoneNumbers nowhere({});  // no country: national numbers stay as they are
    CHECK(nowhere.normalize("020 7123 4567") == "02071234567");
    CHECK(nowhere.normalize("+442071234567") == "+442071234567");
}

TEST_CASE("screen pop: the directory CSV with quoted fields and bad rows", "[screen_pop][csv]") {
    const std::string text =
        "id,Name,numbers,company\r\n"
        "C-1,Ada Lovelace,(415) 555-0123,\"Analytical Engines, Ltd\"\r\n"
        "C-2,\"Grace \"\"Amazing\"\" Hopper\",+1 415 555 0199; 1 415 555 0100,Navy\n"
        "C-3,Too few fields\n"
        "\n"
        ",No id,4155550111,x\n"
        "C-4,No number,n/a,x\n"
        "C-5,\"Line\nbreak\",4155550155,\"multi\nline\"\n"
        "C-6,Bad quote,\"4155550166\"x,y\n"
        "C-7,Last,4155550177,z";
    auto contents = parse_directory_csv(text, "contacts.csv", north_america());

    REQUIRE(contents.contacts.size() == 4);
    CHECK(contents.contacts[0].id == "C-1");
    CHECK(contents.contacts[0].numbers == std::vector<std::string>{"+14155550123"});
    CHECK(contents.contacts[0].fields.at("company") == "Analytical Engines, Ltd");
    CHECK(contents.contacts[1].name == "Grace \"Amazing\" Hopper");
    CHECK(contents.contacts[1].numbers == std::vector<std::string>{"+14155550199", "+14155550100"});
    CHECK(contents.contacts[2].name == "Line\nbreak");
    CHECK(contents.contacts[3].id == "C-7");

    REQUIRE(contents.problems.size() == 4);
    CHECK(contents.problems[0] == "contacts.csv:4: the row has 2 fields, the header 4; row skipped");
    CHECK(contents.problems[1] == "contacts.csv:6: the id is empty; row skipped");
    CHECK(contents.problems[2] == "contacts.csv:7: no valid phone number; row skipped");
    CHECK_THAT(contents.problems[3], Catch::StartsWith("contacts.csv:11: text after a closing quote"));
}

TEST_CASE("screen pop: a directory without the needed columns is reported", "[screen_pop][csv]") {
    auto numbers = north_america();
    CHECK(parse_directory_csv("", "d.csv", numbers).problems ==
          std::vector<std::string>{"d.csv:1: the file is empty (expected a header row)"});
    auto no_number = parse_directory_csv("id,name,phone\n1,A,4155550123\n", "d.csv", numbers);
    CHECK(no_number.contacts.empty());
    CHECK(no_number.problems.at(0) ==
          "d.csv:1: the header row has no 'number' or 'numbers' column (expected id,name,number)");
    auto unclosed = parse_directory_csv("id,name,number\n1,\"A,4155550123\n", "d.csv", numbers);
    CHECK(unclosed.contacts.empty());
    CHECK(unclosed.problems.at(0) == "d.csv:2: a quoted field is never closed; row skipped");
}

TEST_CASE("screen pop: the directory file is read again when it changes", "[screen_pop][csv]") {
    test::TempDir dir;
    const auto file = dir.write("contacts.csv", "id,name,number\nC-1,Ada,4155550123\n");
    DirectoryFile directory(file, north_america());
    REQUIRE(directory.find("+14155550123").size() == 1);
    CHECK(directory.find("+14155550123")[0].name == "Ada");

    // A replaced file (another size) is used from the next lookup on.
    std::ofstream(file, std::ios::trunc) << "id,name,number\nC-1,Ada King,4155550123\nC-2,Bob,4155550123\n";
    auto found = directory.find("+14155550123");
    REQUIRE(found.size() == 2);
    CHECK(found[0].name == "Ada King");

    std::filesystem::remove(file);  // gone: the last contents stay in use
    CHECK(directory.find("+14155550123").size() == 2);
}

TEST_CASE("screen pop: URL templates encode every value", "[screen_pop][template]") {
    auto parsed = UrlTemplate::parse("https://crm.example.com/search?q={number}&n={name}", {"number", "name"});
    REQUIRE(std::holds_alternative<UrlTemplate>(parsed));
    CHECK(std::get<UrlTemplate>(parsed).expand({{"number", "+14155550123"}, {"name", "Ada & Co/?#"}}) ==
          "https://crm.example.com/search?q=%2B14155550123&n=Ada%20%26%20Co%2F%3F%23");
    CHECK(std::get<UrlTemplate>(parsed).expand({}) == "https://crm.example.com/search?q=&n=");

    auto unknown = UrlTemplate::parse("https://crm.example.com/{idd}", {"id", "number"});
    REQUIRE(std::holds_alternative<std::string>(unknown));
    CHECK(std::get<std::string>(unknown) == "unknown placeholder {idd}; here you can use {id}, {number}");
    CHECK(std::get<std::string>(UrlTemplate::parse("https://x/{id", {"id"})) ==
          "the '{' at position 11 is never closed");
    CHECK_THAT(std::get<std::string>(UrlTemplate::parse("javascript:alert(1)", {})),
               Catch::StartsWith("expected a URL starting with https:// or http://"));
}

TEST_CASE("screen pop: the rules pick the pop by the number of matches", "[screen_pop][rules]") {
    const auto settings = settings_from(crm_rules);
    const auto call = inbound_call("+14155550123", "ADA L");

    auto none = build_screen_pop(settings, call, Direction::inbound, "+14155550123", {});
    CHECK(none.pop == PopKind::new_record);
    CHECK(none.url == "https://crm.example.com/contacts/new?phone=%2B14155550123");

    auto one = build_screen_pop(settings, call, Direction::inbound, "+14155550123", {contact("C-1", "Ada")});
    CHECK(one.pop == PopKind::record);
    CHECK(one.url == "https://crm.example.com/contacts/C-1");
    using Fields = std::vector<std::pair<std::string, std::string>>;
    CHECK(one.fields == Fields{{"from_number", "+14155550123"}, {"contact.name", "Ada"},
                               {"contact.company", "Acme & Sons"}});

    auto several = build_screen_pop(settings, call, Direction::inbound, "+14155550123",
                                    {contact("C-1", "Ada"), contact("C-2", "Ada King")});
    CHECK(several.pop == PopKind::search);
    CHECK(several.url == "https://crm.example.com/search?q=%2B14155550123");
    CHECK(several.fields[1].second.empty());  // no one contact's name for several matches

    // Outbound calls have their own rules: nothing configured, nothing popped.
    auto outbound = build_screen_pop(settings, call, Direction::outbound, "+14155550123", {contact("C-1", "Ada")});
    CHECK(outbound.pop == PopKind::none);
    CHECK(outbound.url.empty());
    CHECK(outbound.fields == Fields{{"to_name", "Agent"}, {"to_number", "1001"}});

    auto event = protocol::screen_pop_fields(one);
    CHECK(event["match"] == "single");
    CHECK(event["pop"] == nlohmann::json{{"kind", "record"}, {"url", "https://crm.example.com/contacts/C-1"}});
    CHECK(event["matches"][0]["fields"]["company"] == "Acme & Sons");
    CHECK(event["fields"][0] == nlohmann::json{{"key", "from_number"}, {"value", "+14155550123"}});
    CHECK(protocol::screen_pop_fields(none)["pop"]["kind"] == "new_record");
}

TEST_CASE("screen pop: extension-length callers are internal calls", "[screen_pop][rules]") {
    PhoneNumbers numbers({"1", "1", "011", 4});
    CHECK(screen_pop_call_type(inbound_call("2001"), numbers) == Direction::internal);
    CHECK(screen_pop_call_type(inbound_call("+14155550123"), numbers) == Direction::inbound);
    auto outbound = inbound_call("1001");
    outbound.direction = Direction::outbound;
    CHECK(screen_pop_call_type(outbound, numbers) == Direction::outbound);
    CHECK(other_party(outbound, Direction::outbound).number == "1001");
}

TEST_CASE("screen pop: config errors name the key", "[screen_pop][config]") {
    CHECK(config_error(R"({"screen_pop": {"inbound": {"single_match": {"pop": "record", "url": "https://crm/{idd}"}}}})") ==
          "test.json: key 'screen_pop.inbound.single_match.url': unknown placeholder {idd}; here you can use "
          "{call_id}, {called}, {id}, {name}, {number}, {raw_number}");
    CHECK_THAT(config_error(R"({"screen_pop": {"inbound": {"no_match": {"pop": "search", "url": "https://crm/{id}"}}}})"),
               Catch::StartsWith("test.json: key 'screen_pop.inbound.no_match.url': unknown placeholder {id}"));
    CHECK_THAT(config_error(R"({"screen_pop": {"outbound": {"multiple_matches": {"pop": "record", "url": "https://crm/{id}"}}}})"),
               Catch::StartsWith("test.json: key 'screen_pop.outbound.multiple_matches.pop': a record pop needs exactly one match"));
    CHECK_THAT(config_error(R"({"screen_pop": {"internal": {"no_match": {"pop": "popup"}}}})"),
               Catch::StartsWith("test.json: key 'screen_pop.internal.no_match.pop': expected one of none, record"));
    CHECK_THAT(config_error(R"({"screen_pop": {"inbound": {"no_match": {"pop": "search"}}}})"),
               Catch::StartsWith("test.json: key 'screen_pop.inbound.no_match.url': missing"));
    CHECK_THAT(config_error(R"({"screen_pop": {"inbound": {"fields": ["from_number", "colour"]}}})"),
               Catch::StartsWith("test.json: key 'screen_pop.inbound.fields[1]': unknown call field \"colour\""));
    CHECK_THAT(config_error(R"({"screen_pop": {"lookup_url": "http://crm.example.com/lookup?n={number}"}})"),
               Catch::StartsWith("test.json: key 'screen_pop.lookup_url': expected an http:// URL on this computer"));
    CHECK_THAT(config_error(R"({"screen_pop": {"lookup_url": "http://127.0.0.1:9/lookup?n={id}"}})"),
               Catch::StartsWith("test.json: key 'screen_pop.lookup_url': unknown placeholder {id}"));
    CHECK_THAT(config_error(R"({"screen_pop": {"inbound": {"no_mach": {}}}})"),
               Catch::StartsWith("test.json: key 'screen_pop.inbound.no_mach': unknown key"));
}

TEST_CASE("screen pop: the number settings default to the dial plan's", "[screen_pop][config]") {
    auto settings = settings_from(R"({"dial_plan": {"country_code": "44", "long_distance_prefix": "0",
        "international_prefix": "00", "max_internal_digits": 4}})");
    CHECK(settings.numbers.country_code == "44");
    CHECK(settings.numbers.trunk_prefix == "0");
    CHECK(settings.numbers.international_prefix == "00");
    CHECK(settings.numbers.internal_max_digits == 4);
    CHECK(settings.inbound.no_match.kind == PopKind::none);
    auto own = settings_from(R"({"dial_plan": {"country_code": "44"}, "screen_pop": {"country_code": "1"}})");
    CHECK(own.numbers.country_code == "1");
}

TEST_CASE("screen pop: the HTTP lookup's JSON answer", "[screen_pop][http]") {
    auto numbers = north_america();
    auto answer = parse_lookup_response(
        R"({"records": [{"id": 42, "name": "Ada", "numbers": ["(415) 555-0123", 7], "vip": true, "score": 3},
                        {"name": "no id"}, "text", {"id": "C-9", "number": "4155550199"}]})",
        numbers);
    REQUIRE(std::holds_alternative<LookupAnswer>(answer));
    const auto& found = std::get<LookupAnswer>(answer);
    REQUIRE(found.contacts.size() == 2);
    CHECK(found.contacts[0].id == "42");
    CHECK(found.contacts[0].numbers == std::vector<std::string>{"+14155550123"});
    CHECK(found.contacts[0].fields == std::map<std::string, std::string>{{"score", "3"}, {"vip", "true"}});
    CHECK(found.contacts[0].source == "http");
    CHECK(found.contacts[1].numbers == std::vector<std::string>{"+14155550199"});
    CHECK(found.problems == std::vector<std::string>{"record 2: 'id' is missing (a string or an integer)",
                                                     "record 3: not an object"});
    CHECK(std::get<LookupAnswer>(parse_lookup_response("[]", numbers)).contacts.empty());
    CHECK(std::get<std::string>(parse_lookup_response("<html>", numbers)) == "the answer is not JSON");
    CHECK_THAT(std::get<std::string>(parse_lookup_response(R"({"id": 1})", numbers)),
               Catch::StartsWith("expected a JSON list of records"));
}
