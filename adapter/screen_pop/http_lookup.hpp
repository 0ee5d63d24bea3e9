// Looks a caller up in a CRM service over HTTP: GET the configured URL template with the number
// filled in, read the JSON records of the answer. Asynchronous on the adapter's io_context, so
// it never holds up the core: the answer, a failure or the timeout all end in one `done` call.
// A failure (refused, timeout, not 200, bad JSON) counts as no match and is logged. Answers
// are kept for a short time, so a caller who rings again is matched at once.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "screen_pop/contact.hpp"
#include "screen_pop/phone_numbers.hpp"
#include "screen_pop/url_template.hpp"

namespace boost::asio {
class io_context;
}

namespace cti {

struct HttpLookupOptions {
    UrlTemplate url;  // http://127.0.0.1:PORT/...{number}...
    std::chrono::milliseconds timeout{1500};
    std::chrono::seconds cache_time{60};  // 0: no cache
};

class HttpLookup {
public:
    using Done = std::function<void(std::vector<Contact>)>;

    HttpLookup(boost::asio::io_context& io, HttpLookupOptions options, PhoneNumbers numbers);
    ~HttpLookup();

    // Calls `done` exactly once, on the io_context's thread, with the contacts found (empty on
    // no match or failure).
    void find(const std::string& number, const std::string& raw_number, Done done);

    struct State;  // the strand, the options and the cache; shared with requests in flight

private:
    std::shared_ptr<State> state_;
};

}  // namespace cti
