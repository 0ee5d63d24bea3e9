#include "sip/subscription_watch.hpp"

#include <cctype>

namespace cti::sip {

void SubscriptionWatch::started() {
    confirmed_ = false;
    version_.reset();  // a new subscription counts its versions anew
    sent();
}

void SubscriptionWatch::sent() {
    notified_since_sent_ = false;
    owed_ = false;
}

bool SubscriptionWatch::accepted() {
    // Over UDP the NOTIFY may overtake the SUBSCRIBE's answer.
    owed_ = !notified_since_sent_;
    return owed_;
}

SubscriptionWatch::Verdict SubscriptionWatch::notified(std::optional<unsigned long> version, bool full) {
    confirmed_ = true;
    notified_since_sent_ = true;
    owed_ = false;
    if (!version) return {};
    const auto last = version_;
    // A full document is a new baseline, whatever its number; a partial one must follow on.
    if (full || !last || *version > *last) version_ = version;
    if (full || !last || *version == *last + 1 || *version == *last) return {};
    if (*version > *last)
        return {Action::check, "a dialog NOTIFY skipped from version " + std::to_string(*last) +
                                   " to " + std::to_string(*version)};
    return {Action::check, "a dialog NOTIFY went back from version " + std::to_string(*last) +
                               " to " + std::to_string(*version)};
}

SubscriptionWatch::Verdict SubscriptionWatch::notify_overdue() const {
    if (!owed_) return {};
    return {Action::resubscribe, "the PBX accepted the dialog subscription but sent no NOTIFY"};
}

SubscriptionWatch::Verdict SubscriptionWatch::refresh_answered(std::optional<int> status) {
    if (!status) return {Action::resubscribe, "the PBX did not answer the subscription's refresh"};
    if (*status < 300) return {};
    if (*status == 481)
        return {Action::resubscribe, "the PBX no longer knows the subscription (481 to its refresh)"};
    return {Action::resubscribe,
            "the PBX refused the subscription's refresh (" + std::to_string(*status) + ")"};
}

SubscriptionWatch::Verdict SubscriptionWatch::keepalive_answered(bool resent) {
    if (!resent) return {};
    return {Action::check, "the registrar answered the keepalive only after a resend"};
}

SubscriptionWatch::Verdict SubscriptionWatch::terminated(std::string_view subscription_state) {
    // Parameters are ";name=value", case-insensitive, with optional spaces around them.
    std::string lowered;
    for (const char c : subscription_state)
        if (c != ' ' && c != '\t') lowered += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const std::string_view reason : {"deactivated", "timeout"}) {
        const auto param = ";reason=" + std::string(reason);
        const auto at = lowered.find(param);
        if (at != std::string::npos && (at + param.size() == lowered.size() || lowered[at + param.size()] == ';'))
            return {Action::resubscribe, "the PBX ended the dialog subscription (reason=" + std::string(reason) + ")"};
    }
    return {};
}

SubscriptionWatch::Verdict SubscriptionWatch::rechallenged(bool stale) {
    if (stale) return {};
    return {Action::check, "the registrar no longer knows the nonce it accepted"};
}

}  // namespace cti::sip
