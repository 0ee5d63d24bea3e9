// The `pairing` config section (docs/CONFIG.md): whether pages of other origins must present a
// token, the tokens IT preseeds, where paired tokens are kept, and the bounds on requests.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cti/settings.hpp"

namespace cti {

// A token IT handed to a page out of band: only its SHA-256 is in the config.
struct PreseededToken {
    std::string origin;        // normalised
    std::string token_sha256;  // 64 lower-case hex digits
};

struct PairingSettings {
    bool required = true;
    std::vector<PreseededToken> preseeded;
    std::string file;                          // the paired tokens (hashes only)
    std::int64_t request_timeout_ms = 120'000;  // a pending request expires after this
    std::size_t max_pending = 8;               // pending requests at once, all origins
    std::size_t max_pending_per_origin = 2;

    // `section` is the config's `pairing` object (empty when absent); `default_file` is used
    // when it names no `file`. A problem is recorded in `file`, the reader of the config file,
    // naming the key at fault.
    static PairingSettings read(const SettingsReader& file, const nlohmann::json& section,
                                std::string default_file);
};

}  // namespace cti
