#include "sip/sip_message.hpp"

#include <cctype>
#include <cstdarg>
#include <cstdlib>
#include <mutex>
#include <random>
#include <utility>
#include <vector>

#include <osipparser2/osip_parser.h>
#include <osipparser2/osip_port.h>

namespace cti::sip {
namespace {

void discard_trace(const char*, int, osip_trace_level_t, const char*, va_list) {}

}  // namespace

void ensure_parser_ready() {
    static std::once_flag once;
    std::call_once(once, [] {
        parser_init();
        // libosip2 prints every message it refuses to stderr; the driver skips such messages
        // by design, and logging is the core's business.
        osip_trace_initialize_func(TRACE_LEVEL0, &discard_trace);
        for (int level = 0; level < END_TRACE_LEVEL; ++level)
            osip_trace_disable_level(static_cast<osip_trace_level_t>(level));
    });
}

namespace {

// Takes ownership of a string libosip2 allocated.
std::string take(char* text) {
    if (!text) return {};
    std::string result(text);
    osip_free(text);
    return result;
}

std::string or_empty(const char* text) { return text ? std::string(text) : std::string(); }

std::string unquote(const char* text) {
    std::string value = or_empty(text);
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        std::vector<char> buffer(value.begin(), value.end());
        buffer.push_back('\0');
        osip_dequote(buffer.data());
        value = buffer.data();
    }
    return value;
}

std::string lower(std::string_view text) {
    std::string result(text);
    for (auto& c : result) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return result;
}

std::string param(osip_list_t* params, const char* name) {
    osip_generic_param_t* found = nullptr;
    if (osip_uri_param_get_byname(params, const_cast<char*>(name), &found) != 0 || !found)
        return {};
    return or_empty(found->gvalue);
}

template <typename T, typename Clone>
void copy_list(const osip_list_t* from, osip_list_t* to, Clone clone) {
    for (int i = 0; i < osip_list_size(from); ++i) {
        T* copy = nullptr;
        if (clone(static_cast<T*>(osip_list_get(from, i)), &copy) == 0) osip_list_add(to, copy, -1);
    }
}

Identity identity_of(const osip_from_t* header) {
    Identity result;
    if (!header) return result;
    result.display_name = unquote(header->displayname);
    if (header->url) {
        result.user = or_empty(header->url->username);
        char* uri = nullptr;
        if (osip_uri_to_str(header->url, &uri) == 0) result.uri = take(uri);
    }
    return result;
}

// Setters for the headers libosip2 keeps parsed; everything else is a generic header.
using Setter = int (*)(osip_message_t*, const char*);
Setter known_setter(const std::string& name) {
    static const std::pair<const char*, Setter> setters[] = {
        {"via", &osip_message_set_via},
        {"from", &osip_message_set_from},
        {"to", &osip_message_set_to},
        {"call-id", &osip_message_set_call_id},
        {"cseq", &osip_message_set_cseq},
        {"contact", &osip_message_set_contact},
        {"route", &osip_message_set_route},
        {"record-route", &osip_message_set_record_route},
        {"authorization", &osip_message_set_authorization},
        {"proxy-authorization", &osip_message_set_proxy_authorization},
        {"content-type", &osip_message_set_content_type},
    };
    for (const auto& [known, setter] : setters)
        if (name == known) return setter;
    return nullptr;
}

}  // namespace

std::optional<SipMessage> SipMessage::parse(std::string_view text) {
    ensure_parser_ready();
    osip_message_t* message = nullptr;
    if (osip_message_init(&message) != 0) return std::nullopt;
    SipMessage result(message);
    if (osip_message_parse(message, text.data(), text.size()) != 0) return std::nullopt;
    if (!message->call_id || !message->from || !message->to || !message->cseq ||
        !message->cseq->number || !message->cseq->method || osip_list_size(&message->vias) < 1)
        return std::nullopt;
    if (MSG_IS_REQUEST(message) && (!message->sip_method || !message->req_uri)) return std::nullopt;
    return result;
}

std::optional<SipMessage> SipMessage::request(const std::string& method, const std::string& uri) {
    ensure_parser_ready();
    osip_message_t* message = nullptr;
    if (osip_message_init(&message) != 0) return std::nullopt;
    SipMessage result(message);
    osip_uri_t* request_uri = nullptr;
    if (osip_uri_init(&request_uri) != 0) return std::nullopt;
    if (osip_uri_parse(request_uri, uri.c_str()) != 0) {
        osip_uri_free(request_uri);
        return std::nullopt;
    }
    osip_message_set_method(message, osip_strdup(method.c_str()));
    osip_message_set_version(message, osip_strdup("SIP/2.0"));
    osip_message_set_uri(message, request_uri);
    return result;
}

SipMessage SipMessage::response(const SipMessage& request, int status, const std::string& reason,
                                const std::string& to_tag) {
    ensure_parser_ready();
    osip_message_t* message = nullptr;
    osip_message_init(&message);
    SipMessage result(message);
    const osip_message_t* from = request.message_;
    osip_message_set_version(message, osip_strdup("SIP/2.0"));
    osip_message_set_status_code(message, status);
    osip_message_set_reason_phrase(message, osip_strdup(reason.c_str()));
    copy_list<osip_via_t>(&from->vias, &message->vias, &osip_via_clone);
    copy_list<osip_record_route_t>(&from->record_routes, &message->record_routes,
                                   &osip_record_route_clone);
    osip_from_clone(from->from, &message->from);
    osip_to_clone(from->to, &message->to);
    osip_call_id_clone(from->call_id, &message->call_id);
    osip_cseq_clone(from->cseq, &message->cseq);
    if (!to_tag.empty() && message->to && request.to_tag().empty())
        osip_uri_param_add(&message->to->gen_params, osip_strdup("tag"), osip_strdup(to_tag.c_str()));
    return result;
}

SipMessage SipMessage::cancel() const { return hop_by_hop("CANCEL", message_); }

SipMessage SipMessage::failure_ack(const SipMessage& response) const {
    return hop_by_hop("ACK", response.message_);
}

SipMessage SipMessage::hop_by_hop(const char* method, const osip_message* to_source) const {
    osip_message_t* message = nullptr;
    osip_message_init(&message);
    SipMessage result(message);
    osip_message_set_method(message, osip_strdup(method));
    osip_message_set_version(message, osip_strdup("SIP/2.0"));
    osip_uri_t* uri = nullptr;
    if (message_->req_uri && osip_uri_clone(message_->req_uri, &uri) == 0)
        osip_message_set_uri(message, uri);
    if (auto* via = static_cast<osip_via_t*>(osip_list_get(&message_->vias, 0))) {
        osip_via_t* copy = nullptr;
        if (osip_via_clone(via, &copy) == 0) osip_list_add(&message->vias, copy, -1);
    }
    copy_list<osip_route_t>(&message_->routes, &message->routes, &osip_route_clone);
    osip_from_clone(message_->from, &message->from);
    osip_to_clone(to_source->to, &message->to);
    osip_call_id_clone(message_->call_id, &message->call_id);
    osip_cseq_init(&message->cseq);
    osip_cseq_set_number(message->cseq, osip_strdup(message_->cseq ? message_->cseq->number : "1"));
    osip_cseq_set_method(message->cseq, osip_strdup(method));
    osip_message_set_header(message, "Max-Forwards", "70");
    return result;
}

SipMessage SipMessage::clone() const {
    osip_message_t* copy = nullptr;
    osip_message_clone(message_, &copy);
    return SipMessage(copy);
}

SipMessage::SipMessage(SipMessage&& other) noexcept : message_(std::exchange(other.message_, nullptr)) {}

SipMessage& SipMessage::operator=(SipMessage&& other) noexcept {
    if (this != &other) {
        if (message_) osip_message_free(message_);
        message_ = std::exchange(other.message_, nullptr);
    }
    return *this;
}

SipMessage::~SipMessage() {
    if (message_) osip_message_free(message_);
}

bool SipMessage::is_request() const { return message_->status_code == 0; }

std::string SipMessage::method() const {
    if (is_request()) return or_empty(message_->sip_method);
    return message_->cseq ? or_empty(message_->cseq->method) : std::string();
}

int SipMessage::status() const { return message_->status_code; }

std::string SipMessage::reason() const { return or_empty(message_->reason_phrase); }

std::string SipMessage::request_uri() const {
    char* text = nullptr;
    if (!message_->req_uri || osip_uri_to_str(message_->req_uri, &text) != 0) return {};
    return take(text);
}

std::string SipMessage::call_id() const {
    char* text = nullptr;
    if (!message_->call_id || osip_call_id_to_str(message_->call_id, &text) != 0) return {};
    return take(text);
}

unsigned long SipMessage::cseq() const {
    if (!message_->cseq || !message_->cseq->number) return 0;
    return std::strtoul(message_->cseq->number, nullptr, 10);
}

std::string SipMessage::branch() const {
    auto* via = static_cast<osip_via_t*>(osip_list_get(&message_->vias, 0));
    return via ? param(&via->via_params, "branch") : std::string();
}

std::string SipMessage::from_tag() const {
    return message_->from ? param(&message_->from->gen_params, "tag") : std::string();
}

std::string SipMessage::to_tag() const {
    return message_->to ? param(&message_->to->gen_params, "tag") : std::string();
}

Identity SipMessage::from() const { return identity_of(message_->from); }
Identity SipMessage::to() const { return identity_of(message_->to); }

std::vector<Identity> SipMessage::asserted_identities() const {
    std::vector<Identity> identities;
    const auto values = header("P-Asserted-Identity");
    // name-addrs separated by commas outside quotes and angle brackets
    std::vector<std::string> parts(1);
    bool quoted = false;
    bool bracketed = false;
    for (char c : values) {
        if (c == '"') quoted = !quoted;
        if (!quoted && c == '<') bracketed = true;
        if (!quoted && c == '>') bracketed = false;
        if (c == ',' && !quoted && !bracketed) {
            parts.emplace_back();
            continue;
        }
        parts.back() += c;
    }
    for (const auto& part : parts) {
        osip_from_t* parsed = nullptr;
        if (osip_from_init(&parsed) != 0) continue;
        if (osip_from_parse(parsed, part.c_str()) == 0) identities.push_back(identity_of(parsed));
        osip_from_free(parsed);
    }
    return identities;
}

std::string SipMessage::header(std::string_view name) const {
    const auto wanted = lower(name);
    std::string values;
    osip_header_t* found = nullptr;
    for (int pos = 0;;) {
        pos = osip_message_header_get_byname(message_, wanted.c_str(), pos, &found);
        if (pos < 0 || !found) break;
        if (!values.empty()) values += ", ";
        values += or_empty(found->hvalue);
        ++pos;
    }
    return values;
}

std::optional<long> SipMessage::expires(const std::string& contact_uri) const {
    for (int i = 0; i < osip_list_size(&message_->contacts); ++i) {
        auto* contact = static_cast<osip_contact_t*>(osip_list_get(&message_->contacts, i));
        if (!contact_uri.empty() && identity_of(contact).uri != contact_uri) continue;
        auto value = param(&contact->gen_params, "expires");
        if (!value.empty()) return std::strtol(value.c_str(), nullptr, 10);
        break;
    }
    auto header_value = header("expires");
    if (!header_value.empty()) return std::strtol(header_value.c_str(), nullptr, 10);
    return std::nullopt;
}

std::optional<Challenge> SipMessage::challenge() const {
    void* found = nullptr;
    Challenge result;
    if (osip_message_get_knownheaderlist(&message_->www_authenticates, 0, &found) < 0 || !found) {
        if (osip_message_get_knownheaderlist(&message_->proxy_authenticates, 0, &found) < 0 || !found)
            return std::nullopt;
        result.proxy = true;
    }
    auto* header = static_cast<osip_www_authenticate_t*>(found);
    if (lower(or_empty(header->auth_type)) != "digest") return std::nullopt;
    result.realm = unquote(header->realm);
    result.nonce = unquote(header->nonce);
    result.opaque = unquote(header->opaque);
    result.algorithm = unquote(header->algorithm);
    result.qop = unquote(header->qop_options);
    result.stale = lower(unquote(header->stale)) == "true";
    return result;
}

std::string SipMessage::body() const {
    void* found = nullptr;
    if (osip_message_get_knownheaderlist(&message_->bodies, 0, &found) < 0 || !found) return {};
    auto* body = static_cast<osip_body_t*>(found);
    return body->body ? std::string(body->body, body->length) : std::string();
}

std::string SipMessage::contact_uri() const {
    void* found = nullptr;
    if (osip_message_get_knownheaderlist(&message_->contacts, 0, &found) < 0 || !found) return {};
    return identity_of(static_cast<osip_contact_t*>(found)).uri;
}

std::vector<std::string> SipMessage::record_routes() const {
    std::vector<std::string> routes;
    for (int i = 0; i < osip_list_size(&message_->record_routes); ++i) {
        char* text = nullptr;
        auto* route = static_cast<osip_record_route_t*>(osip_list_get(&message_->record_routes, i));
        if (osip_record_route_to_str(route, &text) == 0) routes.push_back(take(text));
    }
    return routes;
}

bool SipMessage::add_header(const std::string& name, const std::string& value) {
    if (auto setter = known_setter(lower(name))) return setter(message_, value.c_str()) == 0;
    return osip_message_set_header(message_, name.c_str(), value.c_str()) == 0;
}

void SipMessage::set_body(const std::string& content_type, const std::string& body) {
    osip_message_set_content_type(message_, content_type.c_str());
    osip_message_set_body(message_, body.data(), body.size());
}

void SipMessage::remove_contacts() {
    osip_list_special_free(&message_->contacts,
                           reinterpret_cast<void (*)(void*)>(&osip_contact_free));
}

std::string SipMessage::to_string() const {
    char* text = nullptr;
    std::size_t length = 0;
    if (osip_message_to_str(message_, &text, &length) != 0 || !text) return {};
    std::string result(text, length);
    osip_free(text);
    return result;
}

std::optional<int> sip_reason_cause(std::string_view reason_header) {
    // Reason: SIP ;cause=200 ;text="Call completed elsewhere" (RFC 3326). libosip2 keeps the
    // header unparsed, so read the protocol and its parameters here.
    std::size_t semicolon = reason_header.find(';');
    auto protocol = lower(reason_header.substr(0, semicolon));
    auto trim = [](std::string& text) {
        while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.erase(0, 1);
        while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
    };
    trim(protocol);
    if (protocol != "sip") return std::nullopt;
    while (semicolon != std::string_view::npos) {
        const auto next = reason_header.find(';', semicolon + 1);
        auto parameter = lower(reason_header.substr(semicolon + 1, next == std::string_view::npos
                                                                       ? std::string_view::npos
                                                                       : next - semicolon - 1));
        trim(parameter);
        if (parameter.rfind("cause", 0) == 0) {
            auto equals = parameter.find('=');
            if (equals == std::string::npos) return std::nullopt;
            auto digits = parameter.substr(equals + 1);
            trim(digits);
            if (digits.empty() || digits.size() > 3 ||
                digits.find_first_not_of("0123456789") != std::string::npos)
                return std::nullopt;
            return std::stoi(digits);
        }
        semicolon = next;
    }
    return std::nullopt;
}

std::string random_token(std::size_t length) {
    thread_local std::mt19937_64 generator{std::random_device{}()};
    static constexpr char hex[] = "0123456789abcdef";
    std::string token;
    for (std::size_t i = 0; i < length; ++i) token.push_back(hex[generator() % 16]);
    return token;
}

}  // namespace cti::sip
