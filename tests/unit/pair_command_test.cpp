// `cti-adapter pair list` as people read it: the columns line up whatever the lengths.
#include <catch2/catch.hpp>

#include <sstream>

#include "cli/pair_command.hpp"

namespace {

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

}  // namespace

TEST_CASE("pair list lines its columns up under their headings", "[pairing][cli]") {
    cti::protocol::PairingListing listing;
    listing.pending.push_back({"r1", "https://a.example", "Support desk", "123456", 60000});
    listing.paired.push_back({"p1", "https://acme.my.salesforce.com", "Salesforce", "", "2026-11-21T09:00:00Z", "", false});
    listing.paired.push_back(
        {"p22", "https://b.example", "B", "", "2026-11-22T10:00:00Z", "2026-11-22T10:05:00Z", false});
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
