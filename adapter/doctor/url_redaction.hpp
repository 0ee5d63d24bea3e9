// What a URL may carry that a support ticket must not: the user-info ("ops:pw@") and the values
// of its query and fragment parameters ("?apikey=...", "#access_token=..."). The support bundle
// passes every string through this, wherever a URL sits in it (config, status, log lines).
#pragma once

#include <string>
#include <string_view>

namespace cti {

// Each URL in `text` ("scheme://..." up to a space, quote, '<', '>' or the end) with its
// user-info replaced by "(removed)" and each parameter's value by "(removed)"; a value that is
// only a placeholder of the adapter's templates ("{number}") is kept, so support still sees
// what the template does. Text outside URLs is left as it is.
std::string without_url_secrets(std::string_view text);

}  // namespace cti
