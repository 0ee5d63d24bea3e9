// Finds who is on the other end of a new call and builds its screen pop: the number is
// normalised, matched in the directory file (at once) and by the HTTP lookup (asynchronously,
// bounded by its timeout), and the rules of the call's type pick the pop action.
#pragma once

#include <functional>
#include <memory>

#include "cti/call.hpp"
#include "screen_pop/directory_file.hpp"
#include "screen_pop/http_lookup.hpp"
#include "screen_pop/screen_pop.hpp"
#include "screen_pop/screen_pop_settings.hpp"

namespace cti {

class CallerLookup {
public:
    using Done = std::function<void(ScreenPop)>;

    CallerLookup(boost::asio::io_context& io, ScreenPopSettings settings);

    // Calls `done` exactly once: synchronously when no HTTP lookup is needed, otherwise from the
    // io_context's thread when the lookup answers, fails or times out.
    void find(const Call& call, Done done);

private:
    ScreenPopSettings settings_;
    PhoneNumbers numbers_;
    std::unique_ptr<DirectoryFile> directory_;
    std::unique_ptr<HttpLookup> http_;
};

}  // namespace cti
