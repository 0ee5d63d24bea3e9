#include "sip/sipfrag.hpp"

#include <string>

#include <osipparser2/osip_parser.h>

#include "sip/sip_message.hpp"

namespace cti::sip {

std::optional<SipfragStatus> sipfrag_status(std::string_view body) {
    ensure_parser_ready();
    // A fragment may stop right after the status line; libosip2 wants the line ended.
    std::string text(body);
    if (text.size() < 2 || text.compare(text.size() - 2, 2, "\r\n") != 0) text += "\r\n";
    osip_message_t* message = nullptr;
    if (osip_message_init(&message) != 0) return std::nullopt;
    std::optional<SipfragStatus> status;
    if (osip_message_parse(message, text.data(), text.size()) == 0 && MSG_IS_RESPONSE(message) &&
        message->status_code >= 100 && message->status_code <= 699) {
        status = SipfragStatus{message->status_code, std::to_string(message->status_code)};
        if (message->reason_phrase && *message->reason_phrase)
            status->line += std::string(" ") + message->reason_phrase;
    }
    osip_message_free(message);
    return status;
}

}  // namespace cti::sip
