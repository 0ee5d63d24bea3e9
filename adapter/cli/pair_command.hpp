// `cti-adapter pair list | revoke ID|ORIGIN | new-token ORIGIN` (docs/PROTOCOL.md, 1.3).
// list and revoke ask the running adapter over its own origin; new-token needs no adapter.
#pragma once

#include <iosfwd>
#include <string>

#include "protocol/client_frames.hpp"

namespace cti {

// Prints the `pairing.list` result: pending requests and pairings (never a hash or a token).
void print_pairings(const protocol::PairingListing& listing, std::ostream& out);

// Prints what `pairing.revoke` did.
void print_revocation(const protocol::Revocation& revocation, std::ostream& out);

// Makes a fresh token for `origin` (already normalised) and prints it with the config snippet
// that preseeds its hash.
void print_new_token(const std::string& origin, std::ostream& out);

}  // namespace cti
