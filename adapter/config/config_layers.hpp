// Config layering: IT's machine-wide file first, then the user's own file over it.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace cti {

// `over` applied to `base`: objects are merged key by key (recursively); any other value in
// `over`, a list included, replaces the one in `base`.
nlohmann::json merge_settings(nlohmann::json base, const nlohmann::json& over);

// True when `settings` holds the value at `key`, a path such as "limits.client_queue_limit" or
// "allowed_origins[0]" (as a SettingsProblem names keys).
bool holds_key(const nlohmann::json& settings, const std::string& key);

}  // namespace cti
