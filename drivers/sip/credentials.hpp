// The digest credentials of the agent's account and the challenge they answer: the registrar's
// last one, shared by every request that goes to it (REGISTER, SUBSCRIBE), with its nonce count.
#pragma once

#include <optional>
#include <string>

#include "sip/sip_digest.hpp"
#include "sip/sip_message.hpp"
#include "sip/sip_settings.hpp"

namespace cti::sip {

class Credentials {
public:
    explicit Credentials(const SipSettings& settings) : settings_(settings) {}

    // Adds the answer to the current challenge, if there is one.
    void authorize(SipMessage& request, const std::string& method, const std::string& uri);
    // Adds the answer to `challenge`, a request's own (an INVITE challenged once).
    void authorize(SipMessage& request, const std::string& method, const std::string& uri,
                   const Challenge& challenge) const;
    // A new challenge from the registrar (none: the next requests go without credentials).
    void adopt(std::optional<Challenge> challenge);
    void forget() { adopt(std::nullopt); }
    bool challenged() const { return challenge_.has_value(); }
    // Whether the current challenge asks for a digest this user agent can compute.
    bool can_answer(const std::string& method, const std::string& uri) const;

private:
    void add(SipMessage& request, const std::string& method, const std::string& uri,
             const Challenge& challenge, unsigned nonce_count) const;

    const SipSettings& settings_;
    std::optional<Challenge> challenge_;
    unsigned nonce_count_ = 0;
};

}  // namespace cti::sip
