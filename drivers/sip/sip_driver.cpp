// The SIP deskphone driver: a small SIP user agent next to the agent's deskphone.
//
// It registers to the PBX with the agent's extension (Registration: digest authentication,
// refresh before expiry, OPTIONS keepalive to notice a PBX that went away), then works in one
// of two modes:
//  * monitor: subscribes to the extension's dialog events (DialogSubscription, RFC 4235) and
//    reports the calls the PBX describes in its dialog-info NOTIFYs;
//  * ring_only: receives the extension's INVITEs as a parallel-ringing device (RingOnlyCalls):
//    it rings (180), pops the call, lets the agent decline it, and ends it as missed or
//    answered elsewhere when the PBX cancels it.
// With a `click_to_dial` section it also dials, by third-party call control: it INVITEs the
// agent's phone with an auto-answer header and REFERs it to the number (ClickToDialCalls).
// Media always stays on the deskphone, so this driver never answers.
//
// SIP travels over UDP or one TCP connection to the registrar (SipTransport). All of it runs on
// a strand of the adapter's loop (SipLine), with asynchronous I/O only.
#include "sip/sip_driver.hpp"

#include <memory>

#include "loop/loop_driver.hpp"
#include "sip/sip_line.hpp"
#include "sip/sip_settings.hpp"

namespace cti {
namespace {

class SipDriver final : public drivers::LoopDriver {
public:
    explicit SipDriver(sip::SipSettings settings) : settings_(std::move(settings)) {}

    std::string_view name() const override { return "sip"; }

    Capabilities capabilities() const override {
        // Only ring-only mode sees the INVITE, so only there can a call be declined; only with
        // click-to-dial configured can it dial, and hang up what it dialled.
        const bool ring_only = settings_.ring_only();
        const bool dials = settings_.click_to_dial.enabled;
        if (ring_only && dials) return {Capability::decline, Capability::dial, Capability::hangup};
        if (dials) return {Capability::dial, Capability::hangup};
        if (ring_only) return {Capability::decline};
        return {};
    }

private:
    std::shared_ptr<drivers::DriverLine> make_line(boost::asio::io_context& loop, DriverEvents& events) override {
        return std::make_shared<sip::SipLine>(loop, events, settings_);
    }

    sip::SipSettings settings_;
};

Result<std::unique_ptr<Driver>> create_sip(SettingsReader& reader) {
    return make_driver<SipDriver>(sip::read_sip_settings(reader));
}

}  // namespace

DriverFactory sip_driver_factory() {
    return {"sip", "SIP user agent registered to the PBX next to the agent's deskphone", &create_sip};
}

}  // namespace cti
