#include "cli/pair_command.hpp"

#include <algorithm>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "logging/logging.hpp"
#include "pairing/tokens.hpp"

namespace cti {
namespace {

// A field as the terminal shows it: a page chose its pairing name, so what could forge a line of
// the listing (a newline, an escape sequence, a bidi override) is shown as '?', as in the log.
std::string shown(const std::string& text) { return printable(text, 100); }
std::string shown_or(const std::string& text, const char* when_empty) {
    return text.empty() ? when_empty : shown(text);
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

void print_pairings(const protocol::PairingListing& listing, std::ostream& out) {
    if (!listing.pending.empty()) {
        out << "waiting for approval (open the adapter's /pair page):\n";
        std::vector<std::vector<std::string>> rows{{"ID", "ORIGIN", "NAME", "CODE"}};
        for (const auto& request : listing.pending)
            rows.push_back({shown(request.id), shown(request.origin), "\"" + shown(request.name) + "\"",
                            shown(request.code)});
        print_columns(rows, "  ", out);
    }
    if (listing.paired.empty()) {
        out << "no paired pages\n";
        return;
    }
    std::vector<std::vector<std::string>> rows{{"ID", "ORIGIN", "NAME", "CREATED", "LAST USED"}};
    for (const auto& pairing : listing.paired)
        rows.push_back({shown(pairing.id), shown(pairing.origin), "\"" + shown(pairing.name) + "\"",
                        shown_or(pairing.created, "-"), shown_or(pairing.last_used, "never")});
    print_columns(rows, "", out);
}

void print_revocation(const protocol::Revocation& revocation, std::ostream& out) {
    for (const auto& id : revocation.revoked) out << "revoked " << shown(id) << "\n";
    out << revocation.sessions_closed << " open page(s) closed\n";
}

void print_new_token(const std::string& origin, std::ostream& out) {
    const auto token = pairing::new_token();
    // A config file's snippet (pairing.preseeded, docs/CONFIG.md), not a protocol message.
    const nlohmann::json snippet{
        {"pairing", {{"preseeded", {{{"origin", origin}, {"token_sha256", pairing::token_sha256_hex(token)}}}}}}};
    out << "token (give it to the page of " << origin << " through its own deployment config; "
        << "it is not stored anywhere):\n  " << token << "\n\n"
        << "config snippet for the machine or user config (merge into pairing.preseeded):\n"
        << snippet.dump(2) << "\n";
}

}  // namespace cti
