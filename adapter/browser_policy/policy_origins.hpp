// Which allowed origins a local-network-access policy has to name, and how the browsers'
// policy entries are matched against an origin (for doctor).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cti {

// The allowed origins that browsers treat as public or private sites: every one but the
// loopback ones (the adapter's own page, a developer's localhost), which the local network
// access rules do not restrict. Input and output are normalised scheme://host[:port].
std::vector<std::string> origins_needing_policy(const std::vector<std::string>& allowed_origins);

// "https://acme.my.salesforce.com:8443" -> "acme.my.salesforce.com": Firefox's SkipDomains
// takes host names.
std::string origin_host(std::string_view origin);

// Does an entry of LocalNetworkAccessAllowedForUrls cover `origin`? Chrome's URL pattern
// format as far as an origin needs it: "*", "[*.]example.com", "example.com" (any scheme and
// port), "https://example.com", "https://example.com:8443"; a path after the host is ignored.
bool chromium_pattern_covers(std::string_view pattern, std::string_view origin);

// Does an entry of Firefox's LocalNetworkAccess.SkipDomains cover `origin`? A host name,
// matched exactly, or "*.example.com" for its subdomains.
bool firefox_domain_covers(std::string_view domain, std::string_view origin);

}  // namespace cti
