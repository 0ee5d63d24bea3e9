#include "sip/click_to_dial_call.hpp"

namespace cti::sip {

EndReason referred_call_end_reason(int status) {
    if (status == 486 || status == 600) return EndReason::busy;
    if (status == 603) return EndReason::rejected;
    if (status == 487) return EndReason::normal;
    return EndReason::failed;
}

EndReason phone_refusal_end_reason(int status) {
    if (status == 486 || status == 600 || status == 603) return EndReason::rejected;
    return EndReason::failed;
}

std::string inactive_sdp_offer(const std::string& local_address) {
    const auto session = random_token(8);
    return "v=0\r\n"
           "o=cti-adapter " +
           std::to_string(std::stoull(session, nullptr, 16) & 0xffffff) + " 1 IN IP4 " +
           local_address +
           "\r\n"
           "s=click-to-dial\r\n"
           "c=IN IP4 " +
           local_address +
           "\r\n"
           "t=0 0\r\n"
           "m=audio 9 RTP/AVP 0 8\r\n"
           "a=rtpmap:0 PCMU/8000\r\n"
           "a=rtpmap:8 PCMA/8000\r\n"
           "a=inactive\r\n";
}

}  // namespace cti::sip
