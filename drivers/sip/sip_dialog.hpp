// A dialog this user agent started with an INVITE, kept as RFC 3261 12.1.2 says a UAC keeps it:
// Call-ID, both tags, the remote target and the route set, and the local CSeq.
//
// The click-to-dial control leg to the agent's phone is such a dialog; its ACK, REFER and BYE
// are built here, so their headers follow from the dialog state alone (and are unit-tested).
#pragma once

#include <string>
#include <vector>

#include "sip/local_agent.hpp"
#include "sip/sip_message.hpp"

namespace cti::sip {

class SipDialog {
public:
    // `local` is the From name-addr (without tag); `remote_uri` the URI the INVITE goes to.
    SipDialog(std::string call_id, std::string local, std::string remote_uri);

    const std::string& call_id() const { return call_id_; }
    const std::string& local_tag() const { return local_tag_; }
    const std::string& remote_tag() const { return remote_tag_; }
    const std::string& remote_target() const { return remote_target_; }
    const std::vector<std::string>& route_set() const { return route_set_; }
    bool established() const { return !remote_tag_.empty(); }
    unsigned long invite_cseq() const { return invite_cseq_; }

    // The next request of the dialog (the INVITE itself while not established): Request-URI
    // the remote target, the route set as Route headers, the next CSeq.
    SipMessage request(const std::string& method, const LocalAgent& agent);
    // The ACK of the INVITE's 2xx: end to end, the INVITE's CSeq number (RFC 3261 13.2.2.4).
    SipMessage ack(const LocalAgent& agent) const;
    // REFER the peer to `target_uri` (RFC 3515), naming `referred_by` (RFC 3892).
    SipMessage refer(const LocalAgent& agent, const std::string& target_uri,
                     const std::string& referred_by);
    // Learns the remote tag, target (Contact) and route set (Record-Route, reversed) from a
    // 2xx to the INVITE. Later 2xx (retransmissions) change nothing.
    void establish(const SipMessage& response);

private:
    SipMessage build(const std::string& method, unsigned long cseq, const LocalAgent& agent) const;

    std::string call_id_;
    std::string local_;
    std::string local_tag_;
    std::string remote_uri_;
    std::string remote_tag_;
    std::string remote_target_;
    std::vector<std::string> route_set_;
    unsigned long cseq_ = 0;
    unsigned long invite_cseq_ = 0;
};

}  // namespace cti::sip
