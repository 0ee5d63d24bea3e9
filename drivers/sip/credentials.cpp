#include "sip/credentials.hpp"

#include <utility>

namespace cti::sip {

void Credentials::authorize(SipMessage& request, const std::string& method, const std::string& uri) {
    if (challenge_) add(request, method, uri, *challenge_, ++nonce_count_);
}

void Credentials::authorize(SipMessage& request, const std::string& method, const std::string& uri,
                            const Challenge& challenge) const {
    add(request, method, uri, challenge, 1);
}

void Credentials::adopt(std::optional<Challenge> challenge) {
    challenge_ = std::move(challenge);
    nonce_count_ = 0;
}

bool Credentials::can_answer(const std::string& method, const std::string& uri) const {
    return challenge_ &&
           !authorization_value(*challenge_, settings_.auth_user, settings_.password, method, uri, "0", 1)
                .empty();
}

void Credentials::add(SipMessage& request, const std::string& method, const std::string& uri,
                      const Challenge& challenge, unsigned nonce_count) const {
    auto value = authorization_value(challenge, settings_.auth_user, settings_.password, method, uri,
                                     random_token(8), nonce_count);
    if (!value.empty())
        request.add_header(challenge.proxy ? "Proxy-Authorization" : "Authorization", value);
}

}  // namespace cti::sip
