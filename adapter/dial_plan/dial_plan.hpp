// The dial plan: what the phone system must be sent for a number the agent dials, and which
// numbers may not be dialled at all (premium rate, say). Applied to every dial and transfer,
// after the dial string has been validated and before any driver sees it.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "cti/settings.hpp"

namespace cti {

struct DialPlanSettings {
    std::string country_code;            // the agent's own country, e.g. "1" or "44"; "" = no rewriting
    std::string outside_line_prefix;     // e.g. "9" to get an outside line; "" = none
    std::string long_distance_prefix;    // before a national number, e.g. "1" (NANP) or "0" (UK)
    std::string international_prefix;    // before another country's number, e.g. "011" or "00"
    std::size_t max_internal_digits = 5; // numbers this short (no '+') are extensions, dialled as is
    std::vector<std::string> allow;      // if not empty, only numbers starting with one of these
    std::vector<std::string> deny;       // numbers starting with one of these are refused

    // Reads the "dial_plan" config section; a bad key is recorded in `reader` (the file's problem).
    static DialPlanSettings read(SettingsReader reader);
};

struct DialRefused {
    std::string message;  // names the rule that refused it
};

class DialPlan {
public:
    explicit DialPlan(DialPlanSettings settings);

    // `number` is a clean dial string (digits, *, #, optional leading +). Returns what to send
    // to the phone system, or why it may not be dialled. Allow/deny prefixes are matched against
    // the number as given and against its international (+CC...) form.
    std::variant<std::string, DialRefused> apply(const std::string& number) const;

private:
    std::string international_form(const std::string& number) const;
    const DialPlanSettings settings_;
};

}  // namespace cti
