// The JSON an HTTP lookup service answers with: a list of records, or an object with the list
// under "records". A record needs an "id" (string or integer); "name", "number" or "numbers"
// (a string or a list) are optional; every other string, number or boolean becomes an extra
// field. Records that do not fit are skipped and counted in `problems`.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "screen_pop/contact.hpp"
#include "screen_pop/phone_numbers.hpp"

namespace cti {

struct LookupAnswer {
    std::vector<Contact> contacts;
    std::vector<std::string> problems;  // "record 2: 'id' is missing"; the record was skipped
};

// The records, or why the whole body is unusable (not JSON, not a list).
std::variant<LookupAnswer, std::string> parse_lookup_response(const std::string& body,
                                                              const PhoneNumbers& numbers);

}  // namespace cti
