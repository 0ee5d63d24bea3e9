// A datagram from the PBX: parsed by libosip2 through the driver's wrapper, every field the
// driver reads taken, and a response built from it, as the driver does for each request.
#include <cstdint>
#include <string_view>

#include "sip/sip_message.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace cti::sip;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto message = SipMessage::parse(text);
    if (!message) return 0;
    (void)message->method();
    (void)message->status();
    (void)message->reason();
    (void)message->request_uri();
    (void)message->call_id();
    (void)message->cseq();
    (void)message->branch();
    (void)message->from();
    (void)message->to();
    (void)message->expires();
    (void)message->challenge();
    (void)message->body();
    (void)message->contact_uri();
    (void)message->record_routes();
    (void)sip_reason_cause(message->header("Reason"));
    if (message->is_request()) (void)SipMessage::response(*message, 200, "OK", "fuzz-tag").to_string();
    (void)message->to_string();
    return 0;
}
