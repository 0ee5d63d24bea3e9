#include "browser_policy/policy_origins.hpp"

#include <algorithm>
#include <cctype>

namespace cti {
namespace {

struct OriginParts {
    std::string scheme;
    std::string host;
    std::string port;  // "" when the origin uses the scheme's default
};

std::string lower(std::string_view text) {
    std::string result(text);
    std::transform(result.begin(), result.end(), result.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return result;
}

// Splits "scheme://host[:port][/path]"; a missing scheme leaves `scheme` empty. IPv6 hosts
// keep their brackets.
OriginParts split(std::string_view text) {
    OriginParts parts;
    if (const auto at = text.find("://"); at != std::string_view::npos) {
        parts.scheme = lower(text.substr(0, at));
        text.remove_prefix(at + 3);
    }
    text = text.substr(0, text.find('/'));
    const auto bracket = text.rfind(']');
    const auto colon = text.rfind(':');
    if (colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket)) {
        parts.port = std::string(text.substr(colon + 1));
        text = text.substr(0, colon);
    }
    parts.host = lower(text);
    return parts;
}

std::string default_port(const std::string& scheme) {
    if (scheme == "https" || scheme == "wss") return "443";
    if (scheme == "http" || scheme == "ws") return "80";
    return "";
}

std::string effective_port(const OriginParts& parts) {
    return parts.port.empty() ? default_port(parts.scheme) : parts.port;
}

bool is_loopback_host(const std::string& host) {
    const bool ipv4_loopback = host.starts_with("127.") &&
                               host.find_first_not_of("0123456789.") == std::string::npos;
    return ipv4_loopback || host == "localhost" || host.ends_with(".localhost") || host == "[::1]";
}

bool host_covered(std::string_view pattern_host, const std::string& host, std::string_view wildcard) {
    if (pattern_host == "*") return true;
    if (pattern_host.starts_with(wildcard)) {
        const auto domain = pattern_host.substr(wildcard.size());
        return host == domain || (host.size() > domain.size() && host.ends_with(domain) &&
                                  host[host.size() - domain.size() - 1] == '.');
    }
    return pattern_host == host;
}

}  // namespace

std::vector<std::string> origins_needing_policy(const std::vector<std::string>& allowed_origins) {
    std::vector<std::string> result;
    for (const auto& origin : allowed_origins)
        if (!is_loopback_host(split(origin).host) &&
            std::find(result.begin(), result.end(), origin) == result.end())
            result.push_back(origin);
    return result;
}

std::string origin_host(std::string_view origin) {
    auto host = split(origin).host;
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    return host;
}

bool chromium_pattern_covers(std::string_view pattern, std::string_view origin) {
    const auto wanted = split(origin);
    const auto given = split(pattern);
    if (!given.scheme.empty() && given.scheme != "*" && given.scheme != wanted.scheme) return false;
    if (!given.port.empty() && given.port != "*" && given.port != effective_port(wanted)) return false;
    return host_covered(given.host, wanted.host, "[*.]");
}

bool firefox_domain_covers(std::string_view domain, std::string_view origin) {
    return host_covered(lower(domain), origin_host(origin), "*.");
}

}  // namespace cti
