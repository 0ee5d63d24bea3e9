#include "doctor/pairing_check.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "pairing/pairing_store.hpp"

namespace cti {
namespace {

struct OriginPairings {
    std::string origin;
    std::size_t paired = 0;     // approved by the user, in the pairing file
    std::size_t preseeded = 0;  // from the config
};

std::vector<OriginPairings> count_pairings(const Config& config, const std::vector<Pairing>& stored) {
    std::vector<OriginPairings> counts;
    for (const auto& origin : config.allowed_origins) {
        OriginPairings entry{origin};
        entry.paired = static_cast<std::size_t>(
            std::count_if(stored.begin(), stored.end(), [&](const Pairing& p) { return p.origin == origin; }));
        entry.preseeded = static_cast<std::size_t>(
            std::count_if(config.pairing.preseeded.begin(), config.pairing.preseeded.end(),
                          [&](const PreseededToken& token) { return token.origin == origin; }));
        counts.push_back(std::move(entry));
    }
    return counts;
}

}  // namespace

CheckResult check_pairings(const Config& config) {
    CheckResult check{"pairing", "pairing", CheckStatus::pass, "", "", {}};
    const PairingStore store(config.pairing.file);
    const auto counts = count_pairings(config, store.load());
    check.data["required"] = config.pairing.required;
    check.data["file"] = store.file().string();
    check.data["origins"] = nlohmann::json::array();
    std::vector<std::string> waiting;
    for (const auto& entry : counts) {
        check.data["origins"].push_back(
            {{"origin", entry.origin}, {"paired", entry.paired}, {"preseeded", entry.preseeded}});
        check.detail += (check.detail.empty() ? "" : "; ") + entry.origin + ": " + std::to_string(entry.paired) +
                        " paired, " + std::to_string(entry.preseeded) + " preseeded";
        if (entry.paired + entry.preseeded == 0) waiting.push_back(entry.origin);
    }
    if (!config.pairing.required) {
        check.status = CheckStatus::warn;
        check.detail = "not required: a page of any allowed origin controls the phone without a token";
        check.remedy = "remove \"pairing\": {\"required\": false} unless every allowed origin is trusted with "
                       "the phone (docs/SECURITY.md)";
        return check;
    }
    if (counts.empty()) {
        check.detail = "required; no allowed origin to pair (only the adapter's own page connects)";
        return check;
    }
    if (!waiting.empty()) {
        check.status = CheckStatus::info;  // every page starts so: it asks the first time
        check.detail += "\nnot paired yet: " + nlohmann::json(waiting).dump() +
                        "; such a page asks to pair when it connects, and gets no events until then";
        check.remedy = "approve the page's code on http://127.0.0.1:" + std::to_string(config.port) +
                       "/pair, or preseed a token for it with `cti-adapter pair new-token ORIGIN` "
                       "(docs/SECURITY.md)";
    }
    return check;
}

}  // namespace cti
