#include "sip_text.hpp"

#include <algorithm>
#include <cctype>

namespace cti::bench::sip {
namespace {

bool same_name(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\r')) text.remove_suffix(1);
    return text;
}

// Calls `visit(name, value)` for each header line until it returns false.
template <typename Visit>
void for_each_header(std::string_view message, Visit visit) {
    auto line_start = message.find("\r\n");
    while (line_start != std::string_view::npos) {
        line_start += 2;
        const auto line_end = message.find("\r\n", line_start);
        const auto line = message.substr(line_start, line_end == std::string_view::npos ? std::string_view::npos
                                                                                         : line_end - line_start);
        if (line.empty()) return;  // end of the headers
        if (const auto colon = line.find(':'); colon != std::string_view::npos)
            if (!visit(trim(line.substr(0, colon)), trim(line.substr(colon + 1)))) return;
        line_start = line_end;
    }
}

}  // namespace

std::string_view start_line(std::string_view message) { return message.substr(0, message.find("\r\n")); }

bool is_request(std::string_view message) { return !start_line(message).starts_with("SIP/2.0"); }

std::string_view method(std::string_view message) {
    if (!is_request(message)) return {};
    const auto line = start_line(message);
    return line.substr(0, line.find(' '));
}

int status(std::string_view message) {
    const auto line = start_line(message);
    if (!line.starts_with("SIP/2.0 ") || line.size() < 11) return 0;
    return std::atoi(std::string(line.substr(8, 3)).c_str());
}

std::string_view header(std::string_view message, std::string_view name) {
    std::string_view found;
    for_each_header(message, [&](std::string_view header_name, std::string_view value) {
        if (!same_name(header_name, name)) return true;
        found = value;
        return false;
    });
    return found;
}

std::string_view tag_of(std::string_view from_or_to) {
    const auto at = from_or_to.find(";tag=");
    if (at == std::string_view::npos) return {};
    const auto value = from_or_to.substr(at + 5);
    return value.substr(0, value.find(';'));
}

std::string response(std::string_view request, int code, std::string_view reason,
                     std::string_view to_tag, std::string_view extra_headers) {
    std::string text = "SIP/2.0 " + std::to_string(code) + " " + std::string(reason) + "\r\n";
    for_each_header(request, [&](std::string_view name, std::string_view value) {
        if (same_name(name, "Via")) text += "Via: " + std::string(value) + "\r\n";
        return true;
    });
    text += "From: " + std::string(header(request, "From")) + "\r\n";
    const auto to = header(request, "To");
    text += "To: " + std::string(to) + (tag_of(to).empty() && !to_tag.empty() ? ";tag=" + std::string(to_tag) : "") + "\r\n";
    text += "Call-ID: " + std::string(header(request, "Call-ID")) + "\r\n";
    text += "CSeq: " + std::string(header(request, "CSeq")) + "\r\n";
    text += extra_headers;
    text += "Content-Length: 0\r\n\r\n";
    return text;
}

}  // namespace cti::bench::sip
