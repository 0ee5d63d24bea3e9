#include "cli/pair_command.hpp"

#include <algorithm>
#include <ostream>
#include <string>
#include <vector>

#include "logging/logging.hpp"
#include "pairing/tokens.hpp"

namespace cti {
namespace {

// A field as the terminal shows it: a page chose its pairing name, so what could forge a line of
// the listing (a newline, an escape sequence, a bidi override) is shown as '?', as in the log.
std::string text_or(const nlohmann::json& value, const char* fallback) {
    return value.is_string() ? printable(value.get_ref<const std::string&>(), 100) : fallback;
}

// Rows as columns padded to their widest cell, two spaces apart (the last column unpadded).
void print_columns(const std::vector<std::vector<std::string>>& rows, const std::string& indent, std::ostream& out) {
    std::vector<std::size_t> widths;
    for (const auto& row : rows)
        for (std::size_t i = 0; i < row.size(); ++i) {
            if (widths.size() <= i) widths.push_back(0);
            widths[i] = std::max(widths[i], row[i].size());
        }
    for (const auto& row : rows) {
        std::string line = indent;
        for (std::size_t i = 0; i < row.size(); ++i) {
            line += row[i];
            if (i + 1 < row.size()) line += std::string(widths[i] - row[i].size() + 2, ' ');
        }
        out << line << "\n";
    }
}

}  // namespace

void print_pairings(const nlohmann::json& listing, std::ostream& out) {
    const auto& pending = listing["pending"];
    const auto& paired = listing["paired"];
    if (!pending.empty()) {
        out << "waiting for approval (open the adapter's /pair page):\n";
        std::vector<std::vector<std::string>> rows{{"ID", "ORIGIN", "NAME", "CODE"}};
        for (const auto& request : pending)
            rows.push_back({text_or(request["id"], "?"), text_or(request["origin"], "?"),
                            "\"" + text_or(request["name"], "") + "\"", text_or(request["code"], "?")});
        print_columns(rows, "  ", out);
    }
    if (paired.empty()) {
        out << "no paired pages\n";
        return;
    }
    std::vector<std::vector<std::string>> rows{{"ID", "ORIGIN", "NAME", "CREATED", "LAST USED"}};
    for (const auto& pairing : paired)
        rows.push_back({text_or(pairing["id"], "?"), text_or(pairing["origin"], "?"),
                        "\"" + text_or(pairing["name"], "") + "\"", text_or(pairing["created"], "-"),
                        text_or(pairing["last_used"], "never")});
    print_columns(rows, "", out);
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
