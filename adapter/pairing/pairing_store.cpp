#include "pairing/pairing_store.hpp"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "logging/logging.hpp"
#include "pairing/tokens.hpp"
#include "platform/file_replacement.hpp"

namespace cti {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

json to_json(const Pairing& pairing) {
    return {{"id", pairing.id},           {"origin", pairing.origin},
            {"name", pairing.name},       {"token_sha256", pairing.token_sha256},
            {"created", pairing.created}, {"last_used", pairing.last_used}};
}

std::optional<Pairing> from_json(const json& item) {
    auto text = [&](const char* key) {
        auto it = item.find(key);
        return it != item.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    if (!item.is_object()) return std::nullopt;
    Pairing pairing{text("id"), text("origin"), text("name"), text("token_sha256"),
                    text("created"), text("last_used")};
    if (pairing.id.empty() || pairing.origin.empty() || !pairing::is_sha256_hex(pairing.token_sha256))
        return std::nullopt;
    return pairing;
}

}  // namespace

PairingStore::PairingStore(fs::path file) : file_(std::move(file)) {}

std::vector<Pairing> PairingStore::load() const {
    std::ifstream in(file_, std::ios::binary);
    if (!in) return {};
    std::ostringstream text;
    text << in.rdbuf();
    const auto document = json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
    if (document.is_discarded() || !document.is_object() || !document.contains("pairings") ||
        !document["pairings"].is_array()) {
        spdlog::error("{}: not a pairings file ({{\"pairings\": [...]}}); starting with no pairings",
                      file_.string());
        return {};
    }
    std::vector<Pairing> pairings;
    for (const auto& item : document["pairings"]) {
        if (auto pairing = from_json(item)) pairings.push_back(std::move(*pairing));
        else spdlog::warn("{}: skipped an entry without id, origin and token_sha256", file_.string());
    }
    return pairings;
}

Result<> PairingStore::save(const std::vector<Pairing>& pairings) const {
    json list = json::array();
    for (const auto& pairing : pairings)
        if (!pairing.preseeded) list.push_back(to_json(pairing));
    if (file_.has_parent_path())
        if (auto folder = platform::create_folder(file_.parent_path()); !folder) return folder;
    // Hashes only, but still nobody else's business.
    return platform::replace_file(file_, json{{"pairings", std::move(list)}}.dump(2) + "\n", ".tmp",
                                  fs::perms::owner_read | fs::perms::owner_write);
}

}  // namespace cti
