#include "net/access_policy.hpp"

#include <algorithm>

namespace cti {
namespace {

bool equal_ignoring_case(std::string_view a, std::string_view b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

}  // namespace

AccessPolicy::AccessPolicy(std::vector<std::string> allowed_origins)
    : allowed_origins_(std::move(allowed_origins)) {}

void AccessPolicy::set_port(std::uint16_t port, bool serves_tls) {
    std::string suffix(":");
    suffix += std::to_string(port);
    allowed_hosts_ = {"127.0.0.1" + suffix, "localhost" + suffix, "[::1]" + suffix};
    own_origins_.clear();
    for (const auto& host : allowed_hosts_) own_origins_.push_back("http://" + host);
    if (serves_tls)  // the own page served over https:// on the same port (docs/TLS.md)
        for (const auto& host : allowed_hosts_) own_origins_.push_back("https://" + host);
}

bool AccessPolicy::host_allowed(std::string_view host) const {
    return std::any_of(allowed_hosts_.begin(), allowed_hosts_.end(),
                       [&](const auto& allowed) { return equal_ignoring_case(host, allowed); });
}

bool AccessPolicy::origin_allowed(std::string_view origin) const {
    // Browsers serialise origins in lower case; an exact match is all that is needed.
    auto matches = [&](const auto& allowed) { return origin == allowed; };
    return !origin.empty() &&
           (std::any_of(allowed_origins_.begin(), allowed_origins_.end(), matches) ||
            is_own_origin(origin));
}

bool AccessPolicy::is_own_origin(std::string_view origin) const {
    return std::find(own_origins_.begin(), own_origins_.end(), origin) != own_origins_.end();
}

}  // namespace cti
