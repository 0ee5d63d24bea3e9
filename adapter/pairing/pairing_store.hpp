// The paired tokens, kept across restarts in a JSON file in the user's data folder
// (docs/CONFIG.md, `pairing.file`). Only each token's SHA-256 is written, never the token.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "cti/result.hpp"

namespace cti {

struct Pairing {
    std::string id;            // short, listed and revoked by
    std::string origin;
    std::string name;          // what the page called itself when it asked
    std::string token_sha256;  // lower-case hex
    std::string created;       // UTC, 2026-11-21T06:14:46Z
    std::string last_used;     // empty: never used
    bool preseeded = false;    // from the config, not from this file
};

class PairingStore {
public:
    explicit PairingStore(std::filesystem::path file);

    // The pairings in the file; none when it does not exist. Entries that are not complete
    // pairings are skipped with a warning, and an unreadable file is reported, not thrown.
    std::vector<Pairing> load() const;
    // Written to a temporary file only this user may read and renamed over the old one.
    // `failed`, naming the folder or file, when it cannot be written.
    Result<> save(const std::vector<Pairing>& pairings) const;

    const std::filesystem::path& file() const { return file_; }

private:
    std::filesystem::path file_;
};

}  // namespace cti
