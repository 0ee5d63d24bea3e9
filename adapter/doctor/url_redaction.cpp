#include "doctor/url_redaction.hpp"

#include <cctype>

namespace cti {
namespace {

constexpr std::string_view removed = "(removed)";

bool is_placeholder(std::string_view value) {
    return value.size() >= 2 && value.front() == '{' && value.back() == '}' &&
           value.find_first_of("{}", 1) == value.size() - 1;
}

// "a=1&b={number}" -> "a=(removed)&b={number}".
std::string without_values(std::string_view parameters) {
    std::string result;
    while (true) {
        const auto end = parameters.find('&');
        const auto parameter = parameters.substr(0, end);
        const auto equals = parameter.find('=');
        if (equals == std::string_view::npos || equals + 1 == parameter.size() ||
            is_placeholder(parameter.substr(equals + 1)))
            result += parameter;
        else
            result.append(parameter.substr(0, equals + 1)).append(removed);
        if (end == std::string_view::npos) return result;
        result += '&';
        parameters.remove_prefix(end + 1);
    }
}

std::string redact_url(std::string_view url) {
    const auto scheme_end = url.find("://") + 3;
    std::string result(url.substr(0, scheme_end));
    auto rest = url.substr(scheme_end);
    const auto authority_end = rest.find_first_of("/?#");
    const auto at = rest.substr(0, authority_end).rfind('@');
    if (at != std::string_view::npos) {
        result.append(removed).append("@");
        rest.remove_prefix(at + 1);
    }
    const auto query = rest.find_first_of("?#");
    result += rest.substr(0, query);
    while (query != std::string_view::npos && !rest.empty()) {
        rest.remove_prefix(rest.find_first_of("?#"));
        const char mark = rest.front();
        rest.remove_prefix(1);
        const auto next = mark == '?' ? rest.find('#') : std::string_view::npos;
        result += mark;
        result += without_values(rest.substr(0, next));
        if (next == std::string_view::npos) break;
        rest.remove_prefix(next);
    }
    return result;
}

}  // namespace

std::string without_url_secrets(std::string_view text) {
    std::string result;
    std::size_t done = 0;
    for (auto scheme = text.find("://"); scheme != std::string_view::npos; scheme = text.find("://", done)) {
        // The scheme's letters before "://", then the URL up to a delimiter.
        auto start = scheme;
        while (start > done && (std::isalnum(static_cast<unsigned char>(text[start - 1])) || text[start - 1] == '+' ||
                                text[start - 1] == '-' || text[start - 1] == '.'))
            --start;
        auto end = text.find_first_of(" \t\r\n\"'<>", scheme);
        if (end == std::string_view::npos) end = text.size();
        result.append(text.substr(done, start - done));
        result += redact_url(text.substr(start, end - start));
        done = end;
    }
    result.append(text.substr(done));
    return result;
}

}  // namespace cti
