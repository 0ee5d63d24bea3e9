#include "pairing/pairing_requests.hpp"

#include <algorithm>
#include <iterator>

#include "pairing/tokens.hpp"

namespace cti {

PairingRequests::PairingRequests(std::size_t max_total, std::size_t max_per_origin)
    : max_total_(max_total), max_per_origin_(max_per_origin) {}

std::variant<PairingRequest, std::string> PairingRequests::add(std::string origin, std::string name,
                                                               std::weak_ptr<PairingWaiter> waiter,
                                                               Clock::duration lifetime) {
    prune();
    const auto same_origin = static_cast<std::size_t>(std::count_if(
        requests_.begin(), requests_.end(), [&](const auto& request) { return request.origin == origin; }));
    if (same_origin >= max_per_origin_)
        return "this origin already has " + std::to_string(same_origin) +
               " pairing requests waiting for approval";
    if (requests_.size() >= max_total_)
        return std::to_string(requests_.size()) + " pairing requests are already waiting for approval";
    PairingRequest request{pairing::new_short_id(), std::move(origin), std::move(name),
                           pairing::new_pairing_code(), Clock::now() + lifetime, std::move(waiter)};
    requests_.push_back(request);
    return request;
}

std::optional<PairingRequest> PairingRequests::take(const std::string& id) {
    prune();
    auto it = std::find_if(requests_.begin(), requests_.end(), [&](const auto& request) {
        return request.id == id && request.expires > Clock::now();
    });
    if (it == requests_.end()) return std::nullopt;
    auto request = std::move(*it);
    requests_.erase(it);
    return request;
}

bool PairingRequests::remove(const std::string& id) {
    return std::erase_if(requests_, [&](const auto& request) { return request.id == id; }) > 0;
}

std::vector<PairingRequest> PairingRequests::pending() {
    prune();
    std::vector<PairingRequest> live;
    const auto now = Clock::now();
    std::copy_if(requests_.begin(), requests_.end(), std::back_inserter(live),
                 [now](const auto& request) { return request.expires > now; });
    return live;
}

void PairingRequests::prune() {
    std::erase_if(requests_, [](const auto& request) { return request.waiter.expired(); });
}

}  // namespace cti
