// The directory CSV file, read again whenever it changes. Each lookup compares the file's
// modification time and size with the ones it was last read at (one stat() call), so an edited
// or replaced file is used from the next call on, with no timer and no background thread.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "screen_pop/contact.hpp"
#include "screen_pop/phone_numbers.hpp"

namespace cti {

class DirectoryFile {
public:
    DirectoryFile(std::filesystem::path file, PhoneNumbers numbers);

    // The contacts with this normalised number, in file order.
    std::vector<Contact> find(const std::string& number);

private:
    void reload_if_changed();
    void load();

    std::filesystem::path file_;
    PhoneNumbers numbers_;
    std::filesystem::file_time_type loaded_time_{};
    std::uintmax_t loaded_size_ = 0;
    bool missing_reported_ = false;
    std::vector<Contact> contacts_;
    std::multimap<std::string, std::size_t> by_number_;  // number -> index into contacts_
};

}  // namespace cti
