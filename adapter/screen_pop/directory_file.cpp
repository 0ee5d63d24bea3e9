#include "screen_pop/directory_file.hpp"

#include <fstream>
#include <sstream>

#include "logging/logging.hpp"
#include "screen_pop/directory_csv.hpp"

namespace cti {

DirectoryFile::DirectoryFile(std::filesystem::path file, PhoneNumbers numbers)
    : file_(std::move(file)), numbers_(std::move(numbers)) {}

std::vector<Contact> DirectoryFile::find(const std::string& number) {
    reload_if_changed();
    std::vector<Contact> found;
    auto [first, last] = by_number_.equal_range(number);
    for (auto it = first; it != last; ++it) found.push_back(contacts_[it->second]);
    return found;
}

void DirectoryFile::reload_if_changed() {
    std::error_code ec;
    const auto time = std::filesystem::last_write_time(file_, ec);
    const auto size = ec ? 0 : std::filesystem::file_size(file_, ec);
    if (ec) {
        // Reported once, not on every call; the contacts read last are kept until it is back.
        if (!std::exchange(missing_reported_, true))
            spdlog::warn("directory file {}: cannot read it ({}); callers are not matched from it",
                         file_.string(), ec.message());
        return;
    }
    missing_reported_ = false;
    if (time == loaded_time_ && size == loaded_size_) return;
    loaded_time_ = time;
    loaded_size_ = size;
    load();
}

void DirectoryFile::load() {
    std::ifstream in(file_, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    auto contents = parse_directory_csv(text.str(), file_.string(), numbers_);
    for (const auto& problem : contents.problems) spdlog::warn("directory file {}", printable(problem, 300));
    contacts_ = std::move(contents.contacts);
    by_number_.clear();
    for (std::size_t i = 0; i < contacts_.size(); ++i)
        for (const auto& number : contacts_[i].numbers) by_number_.emplace(number, i);
    spdlog::info("directory file {}: {} contacts", file_.string(), contacts_.size());
}

}  // namespace cti
