// cti::SettingsReader: typed reads of a settings object with path-qualified errors.
#include <catch2/catch.hpp>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cti/settings.hpp"
#include "settings/settings_json.hpp"

using cti::SettingsProblem;
using cti::describe_setting;
using cti::settings_reader;
using cti::SettingsReader;
using nlohmann::json;

namespace {

// Runs `read` on a fresh reader of `object` and returns the problem it recorded, after checking
// that the reader's result says the same; fails the test when there is none.
template <typename Read>
SettingsProblem error_of(const json& object, const std::string& prefix, Read read) {
    auto fresh = settings_reader(object, prefix);
    read(fresh);
    const auto result = fresh.result(true);
    if (!fresh.problem()) FAIL("no problem was recorded");
    CHECK_FALSE(result.has_value());
    CHECK(result.error().kind == cti::ErrorKind::invalid_input);
    CHECK(result.error().message == fresh.problem()->message());
    return *fresh.problem();
}

}  // namespace

TEST_CASE("settings: the top level must be an object", "[settings]") {
    for (const json& value : {json(nullptr), json(5), json("x"), json::array()}) {
        CAPTURE(value.dump());
        const auto error = error_of(value, "", [](SettingsReader&) {});
        CHECK(error.key == "(top level)");
        CHECK_THAT(error.problem, Catch::StartsWith("expected an object, got"));
    }
    const json list = json::array();
    CHECK(error_of(list, "simulator", [](SettingsReader&) {}).key == "simulator");
}

TEST_CASE("settings: integer", "[settings]") {
    const json object{{"port", 11000}, {"neg", -5}, {"text", "abc"}, {"real", 1.5},
                      {"big", 70000}, {"flag", true}, {"huge", UINT64_MAX}};
    auto reader = settings_reader(object, "");

    CHECK(reader.integer("port", 1, 0, 65535) == 11000);
    CHECK(reader.integer("neg", 0, -10, 10) == -5);
    CHECK(reader.integer("absent", 42, 0, 100) == 42);
    SECTION("the bounds are inclusive") {
        CHECK(reader.integer("port", 1, 11000, 11000) == 11000);
    }
    SECTION("wrong types and out-of-range values name the key and the range") {
        for (const char* key : {"text", "real", "big", "flag", "huge"}) {
            CAPTURE(key);
            const auto error = error_of(object, "", [&](SettingsReader& fresh) { fresh.integer(key, 0, 0, 65535); });
            CHECK(error.key == key);
            CHECK_THAT(error.problem, Catch::StartsWith("expected an integer from 0 to 65535, got "));
        }
        CHECK(error_of(object, "", [&](SettingsReader& fresh) { fresh.integer("text", 0, 0, 65535); }).problem ==
              "expected an integer from 0 to 65535, got string \"abc\"");
        CHECK(error_of(object, "", [&](SettingsReader& fresh) { fresh.integer("big", 0, 0, 65535); }).message() ==
              "'big': expected an integer from 0 to 65535, got number 70000");
        CHECK(error_of(object, "", [&](SettingsReader& fresh) { fresh.integer("neg", 0, 0, 10); }).key == "neg");
    }
}

TEST_CASE("settings: boolean", "[settings]") {
    const json object{{"on", true}, {"off", false}, {"one", 1}, {"text", "true"}};
    auto reader = settings_reader(object, "sim");
    CHECK(reader.boolean("on", false) == true);
    CHECK(reader.boolean("off", true) == false);
    CHECK(reader.boolean("absent", true) == true);
    const auto error = error_of(object, "sim", [&](SettingsReader& fresh) { fresh.boolean("one", false); });
    CHECK(error.key == "sim.one");
    CHECK(error.problem == "expected true or false, got number 1");
    CHECK(error_of(object, "sim", [&](SettingsReader& fresh) { fresh.boolean("text", false); }).key == "sim.text");
}

TEST_CASE("settings: string with an optional check", "[settings]") {
    const json object{{"driver", "simulator"}, {"level", "loud"}, {"number", 5}};
    auto reader = settings_reader(object, "log");
    CHECK(reader.string("driver", "x") == "simulator");
    CHECK(reader.string("absent", "fallback") == "fallback");

    const auto check = [](const std::string& text) -> std::string {
        return text == "loud" ? "too loud" : "";
    };
    CHECK(reader.string("driver", "x", check) == "simulator");
    const auto checked = error_of(object, "log", [&](SettingsReader& fresh) { fresh.string("level", "x", check); });
    CHECK(checked.key == "log.level");
    CHECK(checked.problem == "too loud");

    const auto wrong = error_of(object, "log", [&](SettingsReader& fresh) { fresh.string("number", "x"); });
    CHECK(wrong.key == "log.number");
    CHECK(wrong.problem == "expected a string, got number 5");
}

TEST_CASE("settings: string_list names the failing element", "[settings]") {
    const json object{{"list", {"a", "b", 3}},
                      {"good", {"x", "y"}},
                      {"bad_check", {"ok", "ok", "no"}},
                      {"not_list", "a"}};
    auto reader = settings_reader(object, "");
    CHECK(reader.string_list("good", {}) == std::vector<std::string>{"x", "y"});
    CHECK(reader.string_list("absent", {"d"}) == std::vector<std::string>{"d"});

    const auto element = error_of(object, "", [&](SettingsReader& fresh) { fresh.string_list("list", {}); });
    CHECK(element.key == "list[2]");
    CHECK(element.problem == "expected a string, got number 3");

    const auto check = [](const std::string& text) -> std::string {
        return text == "no" ? "not allowed" : "";
    };
    const auto checked = error_of(object, "", [&](SettingsReader& fresh) { fresh.string_list("bad_check", {}, check); });
    CHECK(checked.key == "bad_check[2]");
    CHECK(checked.problem == "not allowed");

    const auto whole = error_of(object, "", [&](SettingsReader& fresh) { fresh.string_list("not_list", {}); });
    CHECK(whole.key == "not_list");
    CHECK_THAT(whole.problem, Catch::StartsWith("expected a list of strings, got string"));
}

TEST_CASE("settings: integer_list names the failing element", "[settings]") {
    const json object{{"ports", {11001, 11002}}, {"bad", {1, 2, 0}}, {"mixed", {1, "2"}},
                      {"scalar", 5}, {"empty", json::array()}};
    auto reader = settings_reader(object, "net");
    CHECK(reader.integer_list("ports", {}, 1, 65535) == std::vector<std::int64_t>{11001, 11002});
    CHECK(reader.integer_list("absent", {7}, 1, 65535) == std::vector<std::int64_t>{7});
    CHECK(reader.integer_list("empty", {7}, 1, 65535).empty());

    const auto range = error_of(object, "net", [&](SettingsReader& fresh) { fresh.integer_list("bad", {}, 1, 65535); });
    CHECK(range.key == "net.bad[2]");
    CHECK(range.problem == "expected an integer from 1 to 65535, got number 0");
    CHECK(error_of(object, "net", [&](SettingsReader& fresh) { fresh.integer_list("mixed", {}, 1, 65535); }).key == "net.mixed[1]");
    const auto scalar = error_of(object, "net", [&](SettingsReader& fresh) { fresh.integer_list("scalar", {}, 1, 65535); });
    CHECK(scalar.key == "net.scalar");
    CHECK_THAT(scalar.problem, Catch::StartsWith("expected a list of integers"));
}

TEST_CASE("settings: section prefixes the keys of nested objects", "[settings]") {
    const json object{{"limits", {{"x", "no"}, {"y", 3}}}, {"flat", 5}};
    auto reader = settings_reader(object, "");

    SECTION("errors inside a section carry the dotted path") {
        auto limits = reader.section("limits");
        CHECK(limits.integer("y", 0, 0, 10) == 3);
        const auto error =
            error_of(object, "", [](SettingsReader& fresh) { fresh.section("limits").integer("x", 0, 0, 10); });
        CHECK(error.key == "limits.x");
        CHECK(limits.path("z") == "limits.z");
    }
    SECTION("nested sections keep extending the path") {
        const json deep{{"a", {{"b", {{"c", true}}}}}};
        auto top = settings_reader(deep, "root");
        auto b = top.section("a").section("b");
        CHECK(b.boolean("c", false) == true);
        CHECK(error_of(deep, "root", [](SettingsReader& fresh) {
                  fresh.section("a").section("b").integer("c", 0, 0, 1);
              }).key == "root.a.b.c");
    }
    SECTION("an absent section reads as empty: all defaults") {
        auto absent = reader.section("absent");
        CHECK(absent.integer("x", 9, 0, 10) == 9);
        absent.reject_unknown();
        CHECK_FALSE(reader.problem());
    }
    SECTION("a section that is not an object is an error naming it") {
        const auto error = error_of(object, "", [&](SettingsReader& fresh) { fresh.section("flat"); });
        CHECK(error.key == "flat");
        CHECK(error.problem == "expected an object, got number 5");
    }
}

TEST_CASE("settings: reject_unknown names the first key never read", "[settings]") {
    const json object{{"known", 1}, {"limits", {{"max", 2}, {"typo", 3}}}};
    auto reader = settings_reader(object, "");
    reader.integer("known", 0, 0, 10);

    SECTION("an unread top-level key is unknown") {
        const auto error = error_of(object, "", [](SettingsReader& fresh) {
            fresh.integer("known", 0, 0, 10);
            fresh.reject_unknown();
        });
        CHECK(error.key == "limits");
        CHECK_THAT(error.problem, Catch::StartsWith("unknown key"));
    }
    SECTION("reading a section marks it as known; its own unknown keys are path-qualified") {
        auto limits = reader.section("limits");
        reader.reject_unknown();
        CHECK_FALSE(reader.problem());
        limits.integer("max", 0, 0, 10);
        limits.reject_unknown();
        REQUIRE(reader.problem());  // one problem for the whole file
        const auto error = *limits.problem();
        CHECK(error.key == "limits.typo");
        CHECK_THAT(error.problem, Catch::Contains("unknown key"));
    }
    SECTION("asking for a key that is absent does not make another key known") {
        CHECK(error_of(object, "", [](SettingsReader& fresh) {
                  fresh.integer("known", 0, 0, 10);
                  fresh.boolean("limit", false);
                  fresh.reject_unknown();
              }).key == "limits");
    }
}

TEST_CASE("settings: describe() shortens long values", "[settings]") {
    CHECK(describe_setting(json(5)) == "number 5");
    CHECK(describe_setting(json("ab")) == "string \"ab\"");
    CHECK(describe_setting(json(nullptr)) == "null null");
    const auto long_text = describe_setting(json(std::string(100, 'x')));
    CHECK(long_text == "string \"" + std::string(36, 'x') + "...");
}

TEST_CASE("settings: a range check holds for numbers read from JSON text", "[settings]") {
    // Parsed non-negative numbers are stored as unsigned integers.
    const json object = json::parse(R"({"a": 5, "b": 0, "c": -3})");
    auto reader = settings_reader(object, "");
    CHECK(reader.integer("a", 0, 5, 5) == 5);
    CHECK(error_of(object, "", [&](SettingsReader& fresh) { fresh.integer("a", 0, 6, 10); }).key == "a");
    CHECK(error_of(object, "", [&](SettingsReader& fresh) { fresh.integer("a", 0, 0, 4); }).key == "a");
    CHECK(reader.integer("c", 0, -3, 0) == -3);
    CHECK(error_of(object, "", [&](SettingsReader& fresh) { fresh.integer("b", 0, 1, 10); }).key == "b");
}

TEST_CASE("settings: a positive value above a negative maximum is refused",
          "[settings]") {
    const json object = json::parse(R"({"offset": 5, "offsets": [-2, 5]})");
    auto reader = settings_reader(object, "");
    CHECK(error_of(object, "", [](SettingsReader& fresh) { fresh.integer("offset", -1, -10, -1); }).key == "offset");
    CHECK(error_of(object, "", [](SettingsReader& fresh) { fresh.integer_list("offsets", {}, -10, -1); }).key ==
          "offsets[1]");
}

TEST_CASE("settings: a bad value reads as its fallback and the file keeps its first problem", "[settings]") {
    const json object{{"port", "x"}, {"limits", {{"size", -1}}}, {"flag", 1}};
    auto reader = settings_reader(object, "");
    CHECK(reader.integer("port", 7, 0, 10) == 7);
    auto limits = reader.section("limits");
    CHECK(limits.integer("size", 3, 0, 10) == 3);
    CHECK(reader.boolean("flag", true));
    limits.reject("size", "a later problem");
    REQUIRE(reader.problem());
    CHECK(reader.problem()->key == "port");
    CHECK(limits.problem()->key == "port");  // shared by the file's sections
    const auto result = limits.result(1);
    REQUIRE_FALSE(result);
    CHECK(result.error().message == "'port': expected an integer from 0 to 10, got string \"x\"");
}

TEST_CASE("settings: reject records a problem the caller found, with the section's path", "[settings]") {
    const json object{{"retry", {{"min", 5}, {"max", 2}}}};
    const auto problem = error_of(object, "sip", [](SettingsReader& fresh) {
        auto retry = fresh.section("retry");
        if (retry.integer("max", 0, 0, 10) < retry.integer("min", 0, 0, 10))
            retry.reject("max", "must not be less than min");
    });
    CHECK(problem.key == "sip.retry.max");
    CHECK(problem.message() == "'sip.retry.max': must not be less than min");
}
