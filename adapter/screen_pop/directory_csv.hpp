// The contact directory as a CSV file (RFC 4180: comma-separated, double-quoted fields may hold
// commas, quotes written twice and line breaks). The first row names the columns: `id`, `name`
// and `number` and/or `numbers` (several numbers separated by ';'); any other column is kept as
// an extra field of the contact. A bad row is reported as FILE:LINE and skipped; the rest of the
// file is still used.
#pragma once

#include <string>
#include <vector>

#include "screen_pop/contact.hpp"
#include "screen_pop/phone_numbers.hpp"

namespace cti {

struct DirectoryContents {
    std::vector<Contact> contacts;
    std::vector<std::string> problems;  // "contacts.csv:7: the row has 2 fields, the header 4"
};

// `source` names the file in problems; numbers are normalised with `numbers`.
DirectoryContents parse_directory_csv(const std::string& text, const std::string& source,
                                      const PhoneNumbers& numbers);

}  // namespace cti
