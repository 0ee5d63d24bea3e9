#include "screen_pop/url_template.hpp"

namespace cti {
namespace {

std::string known_list(const std::set<std::string>& known) {
    std::string list;
    for (const auto& name : known) list += (list.empty() ? "{" : ", {") + name + "}";
    return list.empty() ? "none" : list;
}

bool unreserved(unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

}  // namespace

std::string percent_encode(const std::string& value) {
    static const char hex[] = "0123456789ABCDEF";
    std::string encoded;
    for (const char raw : value) {
        const auto c = static_cast<unsigned char>(raw);
        if (unreserved(c)) {
            encoded.push_back(static_cast<char>(c));
        } else {
            encoded.push_back('%');
            encoded.push_back(hex[c >> 4]);
            encoded.push_back(hex[c & 15]);
        }
    }
    return encoded;
}

std::variant<UrlTemplate, std::string> UrlTemplate::parse(const std::string& text,
                                                          const std::set<std::string>& known) {
    if (text.rfind("https://", 0) != 0 && text.rfind("http://", 0) != 0)
        return "expected a URL starting with https:// or http://, got \"" + text + "\"";
    UrlTemplate result;
    result.text_ = text;
    std::size_t at = 0;
    while (at < text.size()) {
        const auto open = text.find('{', at);
        if (open == std::string::npos) {
            result.pieces_.push_back({false, text.substr(at)});
            break;
        }
        const auto close = text.find('}', open);
        if (close == std::string::npos) return "the '{' at position " + std::to_string(open + 1) + " is never closed";
        if (open > at) result.pieces_.push_back({false, text.substr(at, open - at)});
        auto name = text.substr(open + 1, close - open - 1);
        if (!known.contains(name))
            return "unknown placeholder {" + name + "}; here you can use " + known_list(known);
        result.pieces_.push_back({true, std::move(name)});
        at = close + 1;
    }
    return result;
}

std::string UrlTemplate::expand(const std::map<std::string, std::string>& values) const {
    std::string url;
    for (const auto& piece : pieces_) {
        if (!piece.placeholder) {
            url += piece.text;
        } else if (auto it = values.find(piece.text); it != values.end()) {
            url += percent_encode(it->second);
        }
    }
    return url;
}

}  // namespace cti
