// The screen-pop rules (the adapter's "softphone layout"): for each call type which call fields
// a page shows, and what it opens when the caller matches no contact, exactly one, or several.
// Read from the config's "screen_pop" section (docs/CONFIG.md).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cti/call.hpp"
#include "cti/settings.hpp"
#include "dial_plan/dial_plan.hpp"
#include "screen_pop/phone_numbers.hpp"
#include "screen_pop/url_template.hpp"

namespace cti {

enum class PopKind { none, record, search, new_record };
std::string_view to_string(PopKind kind);

struct PopAction {
    PopKind kind = PopKind::none;
    UrlTemplate url;  // empty for `none`
};

struct CallTypeRules {
    std::vector<std::string> fields;  // "from_name", "to_number", "contact.company", ...
    PopAction no_match;
    PopAction single_match;
    PopAction multiple_matches;

    const PopAction& for_matches(std::size_t count) const;
};

struct ScreenPopSettings {
    NumberSettings numbers;
    std::string directory_file;    // "" = no directory
    UrlTemplate lookup_url;        // empty = no HTTP lookup
    std::int64_t lookup_timeout_ms = 1500;
    std::int64_t lookup_cache_seconds = 60;
    CallTypeRules inbound;
    CallTypeRules outbound;
    CallTypeRules internal;

    const CallTypeRules& rules_for(Direction call_type) const;

    // Reads "screen_pop"; the number settings default to the dial plan's. A problem is recorded
    // in `reader`, naming the key (an unknown placeholder: "screen_pop.inbound.single_match.url").
    static ScreenPopSettings read(SettingsReader reader, const DialPlanSettings& dial_plan);
};

}  // namespace cti
