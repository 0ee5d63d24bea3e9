// A page waiting for the user to approve its pairing request. The WebSocket session
// implements it; both calls may come from any thread and must only post.
#pragma once

#include <string>

namespace cti {

class PairingWaiter {
public:
    virtual ~PairingWaiter() = default;
    // Approved: `token` is sent to the page (the only time it ever leaves the adapter).
    virtual void on_paired(std::string token, std::string pairing_id) = 0;
    // Denied on /pair ("denied"); expiry is noticed by the waiter's own timer.
    virtual void on_pairing_failed(std::string reason) = 0;
};

}  // namespace cti
