// Phone numbers as the caller lookup compares them: E.164 (+<country><national number>) for
// outside numbers, the digits as they are for the agent's colleagues' extensions.
//
// Phone systems and CRM exports write the same number in many ways ("(415) 555-0123",
// "+1 415 555 0123", "014155550123", "+44 (0)20 7123 4567"); matching only works once they all
// become one string.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace cti {

struct NumberSettings {
    std::string country_code;          // the agent's country, e.g. "1" or "44"; "" = leave national numbers alone
    std::string trunk_prefix;          // national (trunk) prefix dropped before the country code: "0", or "1" in NANP
    std::string international_prefix;  // what replaces '+' when dialled from this country: "00", "011"
    std::size_t internal_max_digits = 5;  // numbers this short (no '+') are internal extensions
};

class PhoneNumbers {
public:
    explicit PhoneNumbers(NumberSettings settings);

    // The E.164 form of `text` ("+14155550123"), the digits of an internal extension ("1001"),
    // or nullopt when `text` is no phone number at all (empty, letters, "anonymous").
    std::optional<std::string> normalize(std::string_view text) const;
    // An extension-length number: a colleague rather than a customer.
    bool is_internal(std::string_view text) const;

    const NumberSettings& settings() const { return settings_; }

private:
    std::string international(const std::string& digits) const;
    NumberSettings settings_;
};

}  // namespace cti
