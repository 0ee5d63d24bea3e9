// What reaches the adapter's log at info level (docs/SECURITY.md, "Logs without secrets"): a
// whole run of the real executable through every path that carries a number, then its log file
// read for a number that is not masked.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "support/adapter_process.hpp"
#include "support/temp_dir.hpp"
#include "support/ws_client.hpp"

using namespace cti::test;
using nlohmann::json;

namespace {

// Lines with a run of 5 or more digits in their text (after the timestamp and level), once the
// separators a number is written with are taken out: a masked number keeps 4, so a longer run is
// a number shown whole. What has digits but is no phone number goes first: an address with its
// port (127.0.0.1:PORT), a call id (the run's hex prefix, a dash, a counter), a file path.
std::vector<std::string> unmasked_numbers_in(const std::filesystem::path& log_file) {
    static const std::regex not_numbers(R"(\d{1,3}(\.\d{1,3}){3}(:\d+)?|\b(?=[0-9a-f]*[a-f])[0-9a-f]+-\d+\b|/[^\s']*)");
    static const std::regex separators(R"((\d)[ ().-]+(?=\d))");
    static const std::regex long_run(R"(\d{5,})");
    std::vector<std::string> found;
    std::ifstream in(log_file);
    for (std::string line; std::getline(in, line);) {
        const auto text_start = line.find("] ");
        if (text_start == std::string::npos) continue;
        auto text = std::regex_replace(line.substr(text_start + 2), not_numbers, "_");
        text = std::regex_replace(text, separators, "$1");
        if (std::regex_search(text, long_run)) found.push_back(line);
    }
    return found;
}

}  // namespace

TEST_CASE("no full number reaches the log at info level, whatever the path", "[security][log]") {
    TempDir folder;
    std::vector<std::string> lines_with_numbers;
    std::uint16_t port = 0;
    {
        // The agent's own line a full number: the driver's status detail names it.
        AdapterProcess adapter(folder.path, {{"simulator", {{"busy_numbers", {"+1 415 555 6543"}},
                                                            {"line_number", "+14155550100"}}},
                                             {"dial_plan", {{"deny", {"+1900"}}}}});
        port = adapter.port();
        WsClient page(port);
        auto simulate = [&](json body) {
            body["type"] = "simulate";
            return page.command(body);
        };
        const auto incoming = simulate({{"action", "incoming"}, {"from", "+1 (415) 555-9876"}, {"name", "Ada 4155559876"}});
        REQUIRE(incoming["ok"] == true);
        const auto call_id = incoming["data"]["call_id"];
        page.event_named("call.ringing");
        CHECK(page.command({{"type", "answer"}, {"call_id", call_id}})["ok"] == true);
        page.event_named("call.connected");
        CHECK(page.command({{"type", "transfer"}, {"call_id", call_id}, {"to", "+14155558765"}})["ok"] == true);
        page.event_named("call.ended");

        CHECK(page.command({{"type", "dial"}, {"to", "+14155557654"}})["ok"] == true);
        CHECK(page.command({{"type", "dial"}, {"to", "+14155556543"}})["ok"] == true);  // busy
        CHECK(page.command({{"type", "dial"}, {"to", "+19005554321"}})["error"]["code"] == "dial_refused");
        CHECK(page.command({{"type", "dial"}, {"to", "+14155553210;ext"}})["error"]["code"] == "invalid_number");
        CHECK(simulate({{"action", "incoming"}, {"from", "+14155552109;ext"}})["ok"] == false);
        // The refusal the issue found: the scenario's own words quote the number it refused.
        // Written as people write numbers, so that no run of digits alone is longer than 4.
        const json scenario{{"steps", {{{"action", "incoming"}, {"call", "a"}, {"from", "+1 415 555 9876;ext"}}}}};
        const auto refused = simulate({{"action", "scenario"}, {"scenario", scenario}});
        CHECK(refused["ok"] == false);
        CHECK_THAT(refused["error"]["message"].get<std::string>(), Catch::Contains("+1 415 555 9876;ext"));  // the page may see it
        CHECK(page.command({{"type", "history"}})["ok"] == true);
        CHECK(adapter.terminate() == 0);
    }
    lines_with_numbers = unmasked_numbers_in(folder.path / "adapter.log");
    INFO("log lines:\n" << [&] {
        std::string all;
        for (const auto& line : lines_with_numbers) all += line + "\n";
        return all;
    }());
    CHECK(lines_with_numbers.empty());
    // The run logged the calls at all (a log that says nothing would pass the check above).
    std::ifstream in(folder.path / "adapter.log");
    const std::string log{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    CHECK_THAT(log, Catch::Contains("9876"));
    CHECK_THAT(log, Catch::Contains("'+* *** *** 9876;ext' is not a dial string"));  // the scenario's refusal, masked
    CHECK_THAT(log, Catch::Contains("simulated phone line +*******0100"));        // the driver's status, masked
}
