// Every JSON example in docs/ is what it claims to be: valid JSON (one document, or one per line
// where a block shows a stream), and in the guides that configure the adapter, a config the
// adapter accepts. IT copies these examples; one the adapter refuses costs a desktop its pops.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include <nlohmann/json.hpp>

#include "config/config.hpp"
#include "support/temp_dir.hpp"
#include "support/user_adapter.hpp"
#include "support/ws_client.hpp"
#include "cti/driver_registry.hpp"

using namespace cti::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// What the line before a block's fence says of it, in the guides that configure the adapter:
//   (nothing)                                   a config the adapter accepts
//   <!-- not a config: what it is -->           JSON, not a config (a discovery file, a policy)
//   <!-- refused config -->                     a config the adapter must refuse (an error's example)
//   <!-- machine config, with a user's file {...} -->  accepted with that user file over it
struct Example {
    std::string file;  // relative to docs/
    int line = 0;      // of the opening fence
    std::string text;
    std::string marker;  // the line before the fence
};

std::vector<Example> json_examples(const fs::path& file, const fs::path& docs) {
    std::ifstream in(file);
    std::vector<Example> examples;
    std::string line;
    std::string previous;
    int number = 0;
    Example* open = nullptr;
    while (std::getline(in, line)) {
        ++number;
        const auto fence = line.find_first_not_of(' ');
        const auto body = fence == std::string::npos ? std::string() : line.substr(fence);
        if (!open && (body == "```json" || body == "```jsonc")) {
            examples.push_back({fs::relative(file, docs).string(), number, "", previous});
            open = &examples.back();
        } else if (open && body == "```") {
            open = nullptr;
        } else if (open) {
            open->text += line + "\n";
        }
        previous = line;
    }
    return examples;
}

// Templates write "{...}" for an object left out and ", ...fields" for more fields.
std::string without_placeholders(std::string text) {
    text = std::regex_replace(text, std::regex(R"(\{\s*\.\.\.\s*\})"), "{}");
    return std::regex_replace(text, std::regex(R"(,\s*\.\.\.\w*)"), "");
}

// One JSON document, or one per non-empty line (a stream of messages); null when neither.
std::vector<json> parse_example(const std::string& text) {
    const auto cleaned = without_placeholders(text);
    auto whole = json::parse(cleaned, nullptr, false, /*ignore_comments=*/true);
    if (!whole.is_discarded()) return {whole};
    std::vector<json> lines;
    std::istringstream in(cleaned);
    for (std::string line; std::getline(in, line);) {
        if (line.find_first_not_of(" \t") == std::string::npos) continue;
        auto value = json::parse(line, nullptr, false, true);
        if (value.is_discarded()) return {};
        lines.push_back(std::move(value));
    }
    return lines;
}

// The guides whose examples are configs (a whole file, or a part of one).
bool configures_the_adapter(const std::string& file) {
    for (const char* guide : {"ADMIN.md", "CONFIG.md", "TLS.md", "WALKTHROUGH-baresip.md", "SALESFORCE.md",
                              "drivers/sip.md", "drivers/baresip.md"})
        if (file == guide) return true;
    return false;
}

}  // namespace

TEST_CASE("every JSON example in docs/ parses, and every config example is a config the adapter accepts", "[docs]") {
    const fs::path docs = fs::path(CTI_SOURCE_DIR) / "docs";
    std::vector<Example> examples;
    for (const auto& entry : fs::recursive_directory_iterator(docs))
        if (entry.path().extension() == ".md")
            for (auto& example : json_examples(entry.path(), docs)) examples.push_back(std::move(example));
    REQUIRE(examples.size() > 40);  // the guides hold that many; none was missed by the reader

    std::size_t configs = 0;
    std::size_t refused = 0;
    for (const auto& example : examples) {
        INFO("docs/" << example.file << ", the block at line " << example.line << ":\n" << example.text);
        const bool is_config = configures_the_adapter(example.file) &&
                               example.marker.find("<!-- not a config") == std::string::npos;
        const auto source = "docs/" + example.file;
        if (is_config && example.marker.find("<!-- refused config") != std::string::npos) {
            ++refused;
            const auto config = cti::parse_config(example.text, source, cti::builtin_drivers());
            CHECK_FALSE(config.has_value());
            if (!config) CHECK(config.error().kind == cti::ErrorKind::invalid_input);
            continue;
        }
        const auto values = parse_example(example.text);
        CHECK_FALSE(values.empty());
        if (values.empty() || !is_config) continue;
        CHECK(values.size() == 1);
        CHECK(values[0].is_object());
        ++configs;
        const std::string layered = "<!-- machine config, with a user's file ";
        cti::Result<cti::Config> config;
        if (const auto at = example.marker.find(layered); at != std::string::npos) {
            const auto start = at + layered.size();
            TempDir dir;
            const auto machine = dir.write("machine.json", without_placeholders(example.text));
            const auto user = dir.write("user.json", example.marker.substr(start, example.marker.find(" -->") - start));
            config = cti::load_layered_config(machine, user, cti::builtin_drivers());
        } else {
            config = cti::parse_config(without_placeholders(example.text), source, cti::builtin_drivers());
        }
        if (!config) FAIL_CHECK("the adapter refuses it: " << config.error().message);
    }
    CHECK(refused == 4);
    CHECK(configs >= 12);
}

TEST_CASE("the README's quick start with the example directory pops Ada Lovelace with her record", "[docs]") {
    // As the README says: from the checkout's root, where the config's relative path points.
    struct InSourceDir {
        fs::path before = fs::current_path();
        InSourceDir() { fs::current_path(CTI_SOURCE_DIR); }
        ~InSourceDir() { fs::current_path(before); }
    } in_source_dir;
    UserHome home;
    UserAdapter adapter(home, {"--config", "docs/examples/quick-start.json", "--port", "0"});
    WsClient page(adapter.port());
    const json incoming{{"type", "simulate"}, {"action", "incoming"}, {"from", "+14155550123"}, {"name", "Ada Lovelace"}};
    REQUIRE(page.command(incoming)["ok"] == true);
    const auto pop = page.event_named("screen_pop");
    CHECK(pop["match"] == "single");
    REQUIRE(pop["matches"].size() == 1);
    CHECK(pop["matches"][0]["name"] == "Ada Lovelace");
    CHECK(pop["pop"]["url"] == "https://crm.example.com/contacts/C-100");
}
