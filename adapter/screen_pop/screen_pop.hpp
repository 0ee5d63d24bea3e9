// What one screen pop says: the call, who the other party is in the CRM (the matches), what the
// page opens (the resolved pop action) and the call fields the rules ask it to show.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "cti/call.hpp"
#include "screen_pop/contact.hpp"
#include "screen_pop/phone_numbers.hpp"
#include "screen_pop/screen_pop_settings.hpp"

namespace cti {

struct ScreenPop {
    Call call;
    Direction call_type = Direction::inbound;
    std::string number;  // the other party's number as looked up (normalised); "" when none
    std::vector<Contact> matches;
    PopKind pop = PopKind::none;
    std::string url;     // the expanded URL; "" for none
    std::vector<std::pair<std::string, std::string>> fields;  // (key, value), in configured order
};

// Outbound stays outbound; a call from an extension-length number is internal.
Direction screen_pop_call_type(const Call& call, const PhoneNumbers& numbers);
// The party the agent talks to: the callee of an outbound call, otherwise the caller.
const Party& other_party(const Call& call, Direction call_type);

// Applies the rules of the call's type to the matches found for `number`.
ScreenPop build_screen_pop(const ScreenPopSettings& settings, const Call& call, Direction call_type,
                           std::string number, std::vector<Contact> matches);

}  // namespace cti
