#include "screen_pop/caller_lookup.hpp"

#include <algorithm>

namespace cti {
namespace {

// The directory's contacts first, then the service's, each contact once.
std::vector<Contact> merged(std::vector<Contact> first, const std::vector<Contact>& more) {
    for (const auto& contact : more) {
        const bool known = std::any_of(first.begin(), first.end(),
                                       [&](const Contact& c) { return c.id == contact.id; });
        if (!known) first.push_back(contact);
    }
    return first;
}

}  // namespace

CallerLookup::CallerLookup(boost::asio::io_context& io, ScreenPopSettings settings)
    : settings_(std::move(settings)), numbers_(settings_.numbers) {
    if (!settings_.directory_file.empty())
        directory_ = std::make_unique<DirectoryFile>(settings_.directory_file, numbers_);
    if (!settings_.lookup_url.empty())
        http_ = std::make_unique<HttpLookup>(
            io,
            HttpLookupOptions{settings_.lookup_url, std::chrono::milliseconds(settings_.lookup_timeout_ms),
                              std::chrono::seconds(settings_.lookup_cache_seconds)},
            numbers_);
}

void CallerLookup::find(const Call& call, Done done) {
    const auto call_type = screen_pop_call_type(call, numbers_);
    const auto& party = other_party(call, call_type);
    const auto number = numbers_.normalize(party.number);
    if (!number) return done(build_screen_pop(settings_, call, call_type, "", {}));  // withheld
    auto found = directory_ ? directory_->find(*number) : std::vector<Contact>{};
    if (!http_) return done(build_screen_pop(settings_, call, call_type, *number, std::move(found)));
    http_->find(*number, party.number,
                [this, call, call_type, number = *number, found = std::move(found),
                 done = std::move(done)](std::vector<Contact> answered) {
                    done(build_screen_pop(settings_, call, call_type, number, merged(found, answered)));
                });
}

}  // namespace cti
