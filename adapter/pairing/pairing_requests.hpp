// The pairing requests waiting for the user on /pair: bounded in total and per origin, so one
// page cannot flood the list, and each expiring after the configured time.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "pairing/pairing_waiter.hpp"

namespace cti {

struct PairingRequest {
    std::string id;
    std::string origin;
    std::string name;
    std::string code;  // 6 digits, shown on the asking page and on /pair
    std::chrono::steady_clock::time_point expires;
    std::weak_ptr<PairingWaiter> waiter;
};

class PairingRequests {
public:
    using Clock = std::chrono::steady_clock;

    PairingRequests(std::size_t max_total, std::size_t max_per_origin);

    // The new request, or why there is no room for it.
    std::variant<PairingRequest, std::string> add(std::string origin, std::string name,
                                                  std::weak_ptr<PairingWaiter> waiter,
                                                  Clock::duration lifetime);
    // Removes and returns the request if its time has not run out (for the user's decision).
    std::optional<PairingRequest> take(const std::string& id);
    // Removes the request whatever its time (its page gave up, or its timer ran out); true when
    // it was there. An expired request stays until then, so its page still learns it expired.
    bool remove(const std::string& id);
    // The pending requests whose page is still connected and whose time has not run out.
    std::vector<PairingRequest> pending();

private:
    void prune();

    std::size_t max_total_;
    std::size_t max_per_origin_;
    std::vector<PairingRequest> requests_;
};

}  // namespace cti
