// One SIP message, parsed and serialised by libosip2.
//
// The driver never reads or writes SIP text itself: it asks this wrapper for the few fields it
// needs (method, status, Call-ID, tags, branch, identities, a header value, the body) and
// builds requests and responses from header values that libosip2 parses and re-serialises.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct osip_message;

namespace cti::sip {

// A SIP name-addr's parts: `"Alice" <sip:5551234@pbx>` -> {"Alice", "5551234", "sip:5551234@pbx"}.
struct Identity {
    std::string display_name;  // unquoted
    std::string user;
    std::string uri;
};

// A digest challenge taken from WWW-Authenticate or Proxy-Authenticate.
struct Challenge {
    bool proxy = false;  // from a 407: answer with Proxy-Authorization
    std::string realm;
    std::string nonce;
    std::string opaque;
    std::string algorithm;
    std::string qop;  // the offered qop options, e.g. "auth" or "auth,auth-int"
    bool stale = false;
};

class SipMessage {
public:
    // nullopt when libosip2 refuses the text (or it lacks Via, From, To, Call-ID or CSeq).
    static std::optional<SipMessage> parse(std::string_view text);
    // A new request with a Request-URI; nullopt if the URI does not parse.
    static std::optional<SipMessage> request(const std::string& method, const std::string& uri);
    // A response to `request`, with its Via, From, To, Call-ID, CSeq and Record-Route copied;
    // `to_tag` is added to To unless empty or To has a tag already.
    static SipMessage response(const SipMessage& request, int status, const std::string& reason,
                               const std::string& to_tag = {});

    // For an INVITE this agent sent: its CANCEL (RFC 3261 9.1) and the ACK of a non-2xx final
    // `response` (17.1.1.3). Both are hop by hop: the INVITE's Request-URI, top Via, Route,
    // From, Call-ID and CSeq number; the ACK takes To (with the tag) from the response.
    SipMessage cancel() const;
    SipMessage failure_ack(const SipMessage& response) const;

    SipMessage clone() const;
    SipMessage(SipMessage&& other) noexcept;
    SipMessage& operator=(SipMessage&& other) noexcept;
    ~SipMessage();

    bool is_request() const;
    std::string method() const;  // the request's, or the CSeq method of a response
    int status() const;          // 0 for a request
    std::string reason() const;
    std::string request_uri() const;
    std::string call_id() const;
    unsigned long cseq() const;
    std::string branch() const;  // of the top Via
    std::string from_tag() const;
    std::string to_tag() const;
    Identity from() const;
    Identity to() const;
    // Every P-Asserted-Identity (RFC 3325) in order: the caller as the network vouches for it
    // (often a sip: and a tel: URI); those that do not parse are left out.
    std::vector<Identity> asserted_identities() const;
    // Every value of the named header joined with ", " ("" when absent). Name case-insensitive.
    std::string header(std::string_view name) const;
    // Seconds from the `expires` parameter of the Contact whose URI is `contact_uri` (any
    // Contact when empty: the first), else from the Expires header; nullopt if neither says.
    // A registrar lists every contact of the address of record: ours is the one that counts.
    std::optional<long> expires(const std::string& contact_uri = {}) const;
    std::optional<Challenge> challenge() const;
    std::string body() const;
    // The first Contact's URI ("" if none): where in-dialog requests go.
    std::string contact_uri() const;
    // The Record-Route values in order, each as "<uri>" ready for a Route header.
    std::vector<std::string> record_routes() const;

    // Adds a header; known ones (Via, From, To, Contact, CSeq, ...) are parsed by libosip2.
    // Returns false when libosip2 refuses the value.
    bool add_header(const std::string& name, const std::string& value);
    void set_body(const std::string& content_type, const std::string& body);
    void remove_contacts();

    std::string to_string() const;

private:
    explicit SipMessage(osip_message* message) : message_(message) {}
    SipMessage hop_by_hop(const char* method, const osip_message* to_source) const;
    osip_message* message_ = nullptr;
};

// Initialises libosip2 once (its parser tables; its own tracing off). Every entry point here
// calls it; code using libosip2 directly calls it first.
void ensure_parser_ready();

// The value of the `cause` parameter of a Reason header for protocol "SIP", if any.
std::optional<int> sip_reason_cause(std::string_view reason_header);

// A fresh random token for tags, branches and Call-IDs (hex, `length` characters).
std::string random_token(std::size_t length = 16);

}  // namespace cti::sip
