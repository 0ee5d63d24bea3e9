#include "sip/local_agent.hpp"

namespace cti::sip {

SipMessage LocalAgent::request(const std::string& method, const std::string& uri,
                               const std::string& from, const std::string& to,
                               const std::string& call_id, unsigned long cseq,
                               const std::string& fallback_uri) const {
    auto message = SipMessage::request(method, uri);
    // URIs come from validated settings or from the PBX through libosip2, so they parse;
    // should one not, the request goes to the fallback rather than nowhere.
    if (!message) message = SipMessage::request(method, fallback_uri);
    message->add_header("Via", "SIP/2.0/" + transport + " " + sent_by + ";branch=z9hG4bK" +
                                   random_token() + ";rport");
    message->add_header("Max-Forwards", "70");
    message->add_header("From", from);
    message->add_header("To", to);
    message->add_header("Call-ID", call_id);
    message->add_header("CSeq", std::to_string(cseq) + " " + method);
    message->add_header("Contact", contact);
    message->add_header("User-Agent", "cti-adapter");
    return std::move(*message);
}

}  // namespace cti::sip
