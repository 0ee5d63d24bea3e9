// One record a caller's number can match: a contact from the directory file or the HTTP lookup.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace cti {

struct Contact {
    std::string id;                             // the CRM's record id, for the record URL
    std::string name;
    std::vector<std::string> numbers;           // normalised (E.164 or extension)
    std::map<std::string, std::string> fields;  // any other columns ("company", "account")
    std::string source;                         // "directory" or "http"
    bool operator==(const Contact&) const = default;
};

}  // namespace cti
