// `cti-adapter pair list` as people read it: the columns line up whatever the lengths.
#include <catch2/catch.hpp>

#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/pair_command.hpp"

using nlohmann::json;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

}  // namespace

TEST_CASE("pair list lines its columns up under their headings", "[pairing][cli]") {
    const json listing{
        {"pending", {{{"id", "r1"}, {"origin", "https://a.example"}, {"name", "Support desk"}, {"code", "123456"}}}},
        {"paired",
         {{{"id", "p1"}, {"origin", "https://acme.my.salesforce.com"}, {"name", "Salesforce"},
           {"created", "2026-11-21T09:00:00Z"}, {"last_used", nullptr}},
          {{"id", "p22"}, {"origin", "https://b.example"}, {"name", "B"}, {"created", "2026-11-22T10:00:00Z"},
           {"last_used", "2026-11-22T10:05:00Z"}}}}};
    std::ostringstream out;
    cti::print_pairings(listing, out);
    const auto lines = lines_of(out.str());
    REQUIRE(lines.size() == 6);
    CHECK(lines[0] == "waiting for approval (open the adapter's /pair page):");
    CHECK(lines[1] == "  ID  ORIGIN             NAME            CODE");
    CHECK(lines[2] == "  r1  https://a.example  \"Support desk\"  123456");
    // Every column starts where its heading does.
    for (const char* heading : {"ORIGIN", "NAME", "CREATED", "LAST USED"}) {
        const auto column = lines[3].find(heading);
        INFO(heading);
        REQUIRE(column != std::string::npos);
        CHECK(lines[4][column - 1] == ' ');
        CHECK(lines[4][column] != ' ');
        CHECK(lines[5][column] != ' ');
        CHECK(lines[5][column - 1] == ' ');
    }
    CHECK(lines[4].ends_with("never"));
    CHECK(lines[5].ends_with("2026-11-22T10:05:00Z"));
}
