#include "baresip/sip_uri.hpp"

#include <osipparser2/osip_parser.h>

namespace cti::baresip {
namespace {

std::string text_of(const char* value) { return value ? value : ""; }

SipAddress address_of(const osip_uri_t& uri, const char* display_name) {
    SipAddress address;
    if (uri.username) {
        std::string user = uri.username;
        __osip_uri_unescape(user.data());
        address.user = user.c_str();  // unescaping shortens in place; cut at the new end
    }
    address.host_port = text_of(uri.host);
    if (uri.port && *uri.port) address.host_port += ":" + std::string(uri.port);
    std::string name = text_of(display_name);
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"') name = name.substr(1, name.size() - 2);
    address.display_name = name;
    return address;
}

}  // namespace

std::optional<SipAddress> parse_sip_uri(const std::string& text) {
    osip_uri_t* uri = nullptr;
    if (osip_uri_init(&uri) != 0) return std::nullopt;
    std::optional<SipAddress> result;
    if (osip_uri_parse(uri, text.c_str()) == 0 && uri->host) result = address_of(*uri, nullptr);
    osip_uri_free(uri);
    return result;
}

std::optional<SipAddress> parse_name_addr(const std::string& text) {
    osip_from_t* from = nullptr;
    if (osip_from_init(&from) != 0) return std::nullopt;
    std::optional<SipAddress> result;
    if (osip_from_parse(from, text.c_str()) == 0 && from->url && from->url->host)
        result = address_of(*from->url, from->displayname);
    osip_from_free(from);
    return result;
}

}  // namespace cti::baresip
