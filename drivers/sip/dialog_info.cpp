#include "sip/dialog_info.hpp"

#include <cstdlib>
#include <cstring>

#include <osipparser2/osip_parser.h>
#include <pugixml.hpp>

#include "cti/dial_string.hpp"
#include "sip/sip_message.hpp"

namespace cti::sip {
namespace {

// Element names without a namespace prefix ("d:dialog" -> "dialog"): notifiers differ in
// whether they use the default namespace or a prefix.
std::string_view local_name(const pugi::xml_node& node) {
    std::string_view name = node.name();
    auto colon = name.find(':');
    return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

pugi::xml_node child(const pugi::xml_node& parent, std::string_view name) {
    for (auto node : parent.children())
        if (node.type() == pugi::node_element && local_name(node) == name) return node;
    return {};
}

Party party_of(const pugi::xml_node& participant) {
    Party party;
    auto identity = child(participant, "identity");
    if (!identity) return party;
    party.number = number_of_uri(identity.text().as_string());
    party.name = identity.attribute("display").as_string();
    return party;
}

std::optional<DialogEntry> dialog_of(const pugi::xml_node& node) {
    DialogEntry dialog;
    dialog.id = node.attribute("id").as_string();
    dialog.call_id = node.attribute("call-id").as_string();
    auto state = child(node, "state");
    if (dialog.id.empty() || !state) return std::nullopt;
    dialog.state = state.text().as_string();
    dialog.event = state.attribute("event").as_string();
    dialog.code = state.attribute("code").as_int(0);
    std::string_view direction = node.attribute("direction").as_string();
    if (direction == "initiator") dialog.direction = Direction::outbound;
    if (direction == "recipient") dialog.direction = Direction::inbound;
    dialog.local = party_of(child(node, "local"));
    dialog.remote = party_of(child(node, "remote"));
    return dialog;
}

}  // namespace

std::string number_of_uri(const std::string& uri) {
    std::string user;
    if (uri.rfind("tel:", 0) == 0) {
        user = uri.substr(4, uri.find(';') == std::string::npos ? std::string::npos : uri.find(';') - 4);
    } else {
        ensure_parser_ready();
        osip_uri_t* parsed = nullptr;
        if (osip_uri_init(&parsed) != 0) return {};
        if (osip_uri_parse(parsed, uri.c_str()) == 0 && parsed->username) {
            user = parsed->username;
            // The user part may be %-escaped ("%2B4930..." for "+4930...").
            std::vector<char> buffer(user.begin(), user.end());
            buffer.push_back('\0');
            __osip_uri_unescape(buffer.data());
            user = buffer.data();
        }
        osip_uri_free(parsed);
    }
    return normalize_dial_string(user).value_or("");
}

std::optional<DialogInfo> parse_dialog_info(std::string_view xml) {
    pugi::xml_document document;
    if (!document.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_utf8))
        return std::nullopt;
    auto root = document.document_element();
    if (local_name(root) != "dialog-info") return std::nullopt;
    std::string_view state = root.attribute("state").as_string();
    auto version = root.attribute("version");
    if ((state != "full" && state != "partial") || !version) return std::nullopt;
    DialogInfo info;
    info.full = state == "full";
    info.version = version.as_ullong();
    info.entity = root.attribute("entity").as_string();
    for (auto node : root.children())
        if (node.type() == pugi::node_element && local_name(node) == "dialog")
            if (auto dialog = dialog_of(node)) info.dialogs.push_back(std::move(*dialog));
    return info;
}

}  // namespace cti::sip
