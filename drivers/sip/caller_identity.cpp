#include "sip/caller_identity.hpp"

#include "cti/dial_string.hpp"
#include "sip/dialog_info.hpp"

namespace cti::sip {

Party caller_of(const SipMessage& invite) {
    Party caller;
    for (const auto& asserted : invite.asserted_identities()) {
        if (caller.number.empty()) caller.number = number_of_uri(asserted.uri);
        if (caller.name.empty()) caller.name = asserted.display_name;
    }
    const auto from = invite.from();
    if (caller.number.empty()) caller.number = normalize_dial_string(from.user).value_or("");
    if (caller.name.empty()) caller.name = from.display_name;
    return caller;
}

}  // namespace cti::sip
