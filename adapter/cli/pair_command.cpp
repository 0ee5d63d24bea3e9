#include "cli/pair_command.hpp"

#include <ostream>

#include "pairing/tokens.hpp"

namespace cti {
namespace {

std::string text_or(const nlohmann::json& value, const char* fallback) {
    return value.is_string() ? value.get<std::string>() : fallback;
}

}  // namespace

void print_pairings(const nlohmann::json& listing, std::ostream& out) {
    const auto& pending = listing["pending"];
    const auto& paired = listing["paired"];
    if (!pending.empty()) {
        out << "waiting for approval (open the adapter's /pair page):\n";
        for (const auto& request : pending)
            out << "  " << text_or(request["id"], "?") << "  " << text_or(request["origin"], "?")
                << "  \"" << text_or(request["name"], "") << "\"  code " << text_or(request["code"], "?")
                << "\n";
    }
    if (paired.empty()) {
        out << "no paired pages\n";
        return;
    }
    out << "ID         ORIGIN  NAME  CREATED  LAST USED\n";
    for (const auto& pairing : paired)
        out << text_or(pairing["id"], "?") << "  " << text_or(pairing["origin"], "?") << "  \""
            << text_or(pairing["name"], "") << "\"  " << text_or(pairing["created"], "-") << "  "
            << text_or(pairing["last_used"], "never") << "\n";
}

void print_revocation(const nlohmann::json& result, std::ostream& out) {
    for (const auto& id : result["revoked"]) out << "revoked " << text_or(id, "?") << "\n";
    out << result["sessions_closed"].get<std::size_t>() << " open page(s) closed\n";
}

void print_new_token(const std::string& origin, std::ostream& out) {
    const auto token = pairing::new_token();
    const nlohmann::json snippet{
        {"pairing", {{"preseeded", {{{"origin", origin}, {"token_sha256", pairing::token_sha256_hex(token)}}}}}}};
    out << "token (give it to the page of " << origin << " through its own deployment config; "
        << "it is not stored anywhere):\n  " << token << "\n\n"
        << "config snippet for the machine or user config (merge into pairing.preseeded):\n"
        << snippet.dump(2) << "\n";
}

}  // namespace cti
