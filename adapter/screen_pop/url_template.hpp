// A URL with placeholders, `https://crm.example.com/contacts/{id}`, checked once when the config
// is read and expanded for every screen pop. Every value is percent-encoded, so a caller's name
// or number can never change the URL's structure.
#pragma once

#include <map>
#include <set>
#include <string>
#include <variant>
#include <vector>

namespace cti {

class UrlTemplate {
public:
    // The template, or what is wrong with it: not http(s), an unclosed '{', or a placeholder
    // not in `known` (the message lists the known ones).
    static std::variant<UrlTemplate, std::string> parse(const std::string& text,
                                                        const std::set<std::string>& known);
    UrlTemplate() = default;

    // Each placeholder replaced by its value, percent-encoded; a missing value expands to "".
    std::string expand(const std::map<std::string, std::string>& values) const;
    const std::string& text() const { return text_; }
    bool empty() const { return text_.empty(); }

private:
    struct Piece {
        bool placeholder = false;
        std::string text;  // literal text, or the placeholder's name
    };
    std::string text_;
    std::vector<Piece> pieces_;
};

// RFC 3986 percent-encoding of everything but the unreserved characters.
std::string percent_encode(const std::string& value);

}  // namespace cti
