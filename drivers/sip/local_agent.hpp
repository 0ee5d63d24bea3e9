// How this user agent names itself in the requests it sends: the transport and sent-by of its
// Via, and its Contact. Both change when the TCP connection (and so the local port) changes.
#pragma once

#include <string>

#include "sip/sip_message.hpp"

namespace cti::sip {

struct LocalAgent {
    std::string transport;  // "UDP" or "TCP", as Via writes it
    std::string sent_by;    // "address:port"
    std::string contact;    // "<sip:user@address:port>" (";transport=tcp" inside over TCP)

    // A new request with a fresh Via branch, Max-Forwards, From (with its tag), To, Call-ID,
    // CSeq, Contact and User-Agent. A URI libosip2 refuses is replaced by `fallback_uri`.
    SipMessage request(const std::string& method, const std::string& uri, const std::string& from,
                       const std::string& to, const std::string& call_id, unsigned long cseq,
                       const std::string& fallback_uri) const;
};

}  // namespace cti::sip
