// What the parts of the SIP user agent share, provided by the line that holds them (SipLine):
// the strand their timers run on, the way out to the PBX, the client transactions, the digest
// credentials and the reports to the core. Each part (Registration, DialogSubscription,
// RingOnlyCalls, ClickToDialCalls) does one job and reaches the others only through the line,
// so the wiring between jobs is in one place (sip_line.cpp). Everything here runs on the
// line's strand.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include <boost/asio/steady_timer.hpp>

#include "cti/driver.hpp"
#include "strand_entry.hpp"
#include "sip/backoff.hpp"
#include "sip/local_agent.hpp"
#include "sip/sip_message.hpp"
#include "sip/sip_settings.hpp"
#include "sip/sip_transport.hpp"

namespace cti::sip {

inline constexpr std::int64_t t1_ms = 500;   // RFC 3261 timer T1: first retransmission
inline constexpr std::int64_t t2_ms = 4000;  // RFC 3261 timer T2: retransmission interval cap
inline constexpr const char* allowed_methods = "INVITE, ACK, CANCEL, BYE, OPTIONS, NOTIFY";

class Credentials;

class UserAgent {
public:
    // A client transaction's outcome: its final response, or nullptr when none came in time.
    using Done = std::function<void(const SipMessage* final_response)>;

    virtual ~UserAgent() = default;

    virtual const SipSettings& settings() const = 0;
    virtual const drivers::Strand& strand() const = 0;
    virtual const LocalAgent& agent() const = 0;  // Via and Contact for the current transport
    virtual const Endpoint& registrar() const = 0;
    virtual bool reliable_transport() const = 0;  // TCP: requests are not retransmitted
    virtual Credentials& credentials() = 0;
    virtual Backoff& backoff() = 0;  // one backoff for every retry against the PBX
    virtual bool registered() const = 0;
    virtual DriverState state() const = 0;
    virtual const std::string& status_detail() const = 0;

    // A message as it is (an ACK, a response, a retransmitted answer).
    virtual void send(const std::string& text, const Endpoint& to) = 0;
    // A request in a client transaction to the registrar: retransmitted over UDP until its
    // final response; `done` gets that, or nullptr at the transaction timeout.
    virtual void send_request(const SipMessage& request, Done done) = 0;
    virtual void respond(const SipMessage& request, const Endpoint& source, int status,
                         const std::string& reason) = 0;
    // A new out-of-dialog request from the agent's AOR, with Via, Max-Forwards, From/To,
    // Call-ID, CSeq and Contact filled in.
    virtual SipMessage new_request(const std::string& method, const std::string& uri,
                                   const std::string& to, const std::string& call_id,
                                   const std::string& from_tag, unsigned long cseq) const = 0;
    // Runs `handler` on the strand after `ms`, unless the timer is cancelled or set again
    // first. The line stays alive until the wait is over.
    virtual void after(boost::asio::steady_timer& timer, std::int64_t ms,
                       std::function<void()> handler) = 0;

    virtual void report_call(CallReport report) = 0;
    // Repeats of the current state and detail are not reported again.
    virtual void report_status(DriverState state, const std::string& detail) = 0;

    std::string registrar_text() const {
        return settings().registrar_host + ":" + std::to_string(settings().registrar_port);
    }
    std::string registered_text() const {
        return "registered as " + settings().aor() + " at " + registrar_text();
    }
};

}  // namespace cti::sip
