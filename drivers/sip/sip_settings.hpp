// The `sip` section of the adapter config (docs/drivers/sip.md lists every key).
#pragma once

#include <cstdint>
#include <string>

#include "cti/settings.hpp"

namespace cti::sip {

// Click-to-dial by third-party call control (the `click_to_dial` section): the adapter INVITEs
// the agent's phone with an auto-answer header, then REFERs it to the dialled number.
struct ClickToDialSettings {
    bool enabled = false;
    std::string phone_uri;          // the phone to INVITE; default: the agent's AOR
    std::string auto_answer_name;   // e.g. "Call-Info"; "" = send no auto-answer header
    std::string auto_answer_value;  // e.g. "<sip:pbx.example.com>;answer-after=0"
    std::string target_domain;      // Refer-To: sip:<number>@<target_domain>; default: domain
    std::int64_t answer_timeout_ms = 15000;  // the phone must answer within this
};

struct SipSettings {
    std::string registrar_host;          // the PBX's SIP address (IPv4 or host name)
    std::uint16_t registrar_port = 5060;
    std::string domain;                  // the AOR's domain; default: registrar_host
    std::string user;                    // the agent's extension, the AOR's user part
    std::string auth_user;               // digest user name; default: user
    std::string password;
    std::string display_name;
    std::string local_address;           // "" = the address the system routes to the registrar
    std::uint16_t local_port = 0;        // 0 = any free port
    std::int64_t expires_s = 600;        // asked for in REGISTER; refreshed before it runs out
    std::int64_t keepalive_ms = 15000;   // OPTIONS to the registrar; 0 = none
    std::int64_t transaction_timeout_ms = 8000;
    std::int64_t retry_initial_ms = 100;  // first retry after a failure; doubles ...
    std::int64_t retry_max_ms = 5000;     // ... up to this
    // monitor: subscribe to the extension's dialog events (RFC 4235) and report its calls;
    // ring_only: receive the extension's INVITEs as a parallel-ringing device instead.
    enum class Mode { monitor, ring_only };
    Mode mode = Mode::monitor;
    std::int64_t subscribe_expires_s = 600;  // monitor mode: asked for in SUBSCRIBE
    // monitor mode: after this long without a dialog NOTIFY the subscription is refreshed, so
    // a PBX that lost it (a restart) says so with a 481; 0 = only at half its lifetime.
    std::int64_t subscription_check_ms = 60000;
    int decline_code = 486;              // ring_only: 486 Busy Here or 603 Decline
    std::string line_number;             // the agent's number in call reports; default: user
    enum class Transport { udp, tcp };
    Transport transport = Transport::udp;
    ClickToDialSettings click_to_dial;

    bool ring_only() const { return mode == Mode::ring_only; }
    bool tcp() const { return transport == Transport::tcp; }
    std::string aor() const { return "sip:" + user + "@" + domain; }
    std::string registrar_uri() const {
        return "sip:" + domain + (registrar_port == 5060 ? "" : ":" + std::to_string(registrar_port));
    }
};

// The settings, or the first problem of the section, naming its key.
Result<SipSettings> read_sip_settings(SettingsReader& reader);

}  // namespace cti::sip
