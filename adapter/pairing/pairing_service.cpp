#include "pairing/pairing_service.hpp"

#include <algorithm>

#include "logging/logging.hpp"
#include "pairing/tokens.hpp"
#include "service/discovery_file.hpp"

namespace cti {
namespace {

constexpr std::size_t max_token_length = 256;

Pairing from_config(const PreseededToken& token) {
    Pairing pairing;
    pairing.id = "it-" + token.token_sha256.substr(0, 6);  // stable across restarts
    pairing.origin = token.origin;
    pairing.name = "preseeded by configuration";
    pairing.token_sha256 = token.token_sha256;
    pairing.preseeded = true;
    return pairing;
}

}  // namespace

PairingService::PairingService(PairingSettings settings)
    : settings_(std::move(settings)),
      store_(settings_.file),
      pairings_(store_.load()),
      requests_(settings_.max_pending, settings_.max_pending_per_origin) {
    for (const auto& token : settings_.preseeded) pairings_.push_back(from_config(token));
}

std::variant<std::string, PairingRefusal> PairingService::authenticate(const std::string& origin,
                                                                       const std::string& token) {
    if (token.empty() || token.size() > max_token_length)
        return PairingRefusal{"bad_token", "the token is empty or longer than 256 characters"};
    std::lock_guard lock(mutex_);
    auto* match = pairing_with_token(token);
    if (!match) return PairingRefusal{"bad_token", "unknown or revoked token"};
    if (match->origin != origin)
        return PairingRefusal{"bad_token", "the token was issued for another origin"};
    match->last_used = utc_timestamp_now();
    if (!match->preseeded) save();
    return match->id;
}

bool PairingService::holds_pairing(const std::string& origin, const std::string& token) {
    if (token.empty() || token.size() > max_token_length) return false;
    std::lock_guard lock(mutex_);
    const auto* match = pairing_with_token(token);
    return match && match->origin == origin;
}

Pairing* PairingService::pairing_with_token(const std::string& token) {
    const auto hash = pairing::token_sha256_hex(token);
    // Every entry is compared, match or not, so the time taken does not tell where it is.
    Pairing* match = nullptr;
    for (auto& pairing : pairings_)
        if (pairing::equal_in_constant_time(hash, pairing.token_sha256)) match = &pairing;
    return match;
}

std::variant<PairingRequest, PairingRefusal> PairingService::request(std::string origin, std::string name,
                                                                     std::weak_ptr<PairingWaiter> waiter) {
    // The page names itself, and the name is shown on /pair, by `pair list` and in the log: a
    // bidi override or a line break in it could make it read as another name or origin there.
    name = printable(name, name.size());
    std::lock_guard lock(mutex_);
    auto added = requests_.add(std::move(origin), std::move(name), std::move(waiter),
                               std::chrono::milliseconds(settings_.request_timeout_ms));
    if (auto* full = std::get_if<std::string>(&added))
        return PairingRefusal{"too_many_requests", *full + "; approve or deny them on the /pair page first"};
    return std::get<PairingRequest>(std::move(added));
}

bool PairingService::withdraw(const std::string& request_id) {
    std::lock_guard lock(mutex_);
    return requests_.remove(request_id);
}

void PairingService::watch(const std::string& pairing_id, std::weak_ptr<ClientConnection> session) {
    std::lock_guard lock(mutex_);
    std::erase_if(sessions_, [](const auto& entry) { return entry.second.expired(); });
    sessions_.emplace_back(pairing_id, std::move(session));
}

PairingListing PairingService::list() {
    std::lock_guard lock(mutex_);
    return {requests_.pending(), pairings_};
}

std::optional<PairingRefusal> PairingService::approve(const std::string& request_id) {
    std::unique_lock lock(mutex_);
    auto request = requests_.take(request_id);
    if (!request) return PairingRefusal{"no_such_request", "no pending pairing request '" + printable(request_id, 16) + "'"};
    auto waiter = request->waiter.lock();
    if (!waiter) return PairingRefusal{"no_such_request", "the page that asked has gone"};
    const auto token = pairing::new_token();
    // The page that asked is served with the token at once (on_paired): it is used from now,
    // and /pair must not say "never used" of the page it just approved.
    const auto now = utc_timestamp_now();
    Pairing pairing{pairing::new_short_id(), request->origin, request->name, pairing::token_sha256_hex(token), now,
                    now, false};
    pairings_.push_back(pairing);
    if (auto failed = save()) {
        pairings_.pop_back();
        return failed;
    }
    lock.unlock();
    spdlog::info("paired {} ('{}') as {}", printable(pairing.origin), printable(pairing.name), pairing.id);
    waiter->on_paired(token, pairing.id);
    return std::nullopt;
}

std::optional<PairingRefusal> PairingService::deny(const std::string& request_id) {
    std::unique_lock lock(mutex_);
    auto request = requests_.take(request_id);
    if (!request) return PairingRefusal{"no_such_request", "no pending pairing request '" + printable(request_id, 16) + "'"};
    lock.unlock();
    spdlog::info("pairing request of {} denied", printable(request->origin));
    if (auto waiter = request->waiter.lock()) waiter->on_pairing_failed("denied");
    return std::nullopt;
}

std::variant<Revocation, PairingRefusal> PairingService::revoke(const std::string& target) {
    std::unique_lock lock(mutex_);
    auto matches = [&](const Pairing& pairing) { return pairing.id == target || pairing.origin == target; };
    Revocation revocation;
    bool preseeded = false;
    for (const auto& pairing : pairings_) {
        if (!matches(pairing)) continue;
        if (pairing.preseeded) preseeded = true;
        else revocation.ids.push_back(pairing.id);
    }
    if (revocation.ids.empty())
        return PairingRefusal{"no_such_pairing",
                              preseeded ? "'" + printable(target, 64) +
                                              "' is preseeded by the configuration (pairing.preseeded); "
                                              "remove it there"
                                        : "no pairing has the id or origin '" + printable(target, 64) + "'"};
    auto revoked = [&](const std::string& id) {
        return std::find(revocation.ids.begin(), revocation.ids.end(), id) != revocation.ids.end();
    };
    std::erase_if(pairings_, [&](const Pairing& pairing) { return !pairing.preseeded && revoked(pairing.id); });
    if (auto failed = save()) return *failed;
    std::vector<std::shared_ptr<ClientConnection>> to_close;
    std::erase_if(sessions_, [&](const auto& entry) {
        if (!revoked(entry.first)) return false;
        if (auto session = entry.second.lock()) to_close.push_back(std::move(session));
        return true;
    });
    lock.unlock();
    for (const auto& session : to_close) {
        spdlog::warn("{}: its pairing was revoked; closing it with {}", session->label(), close_code::revoked);
        session->close(close_code::revoked, "pairing revoked");
    }
    revocation.sessions_closed = to_close.size();
    return revocation;
}

std::size_t PairingService::paired_count() const {
    std::lock_guard lock(mutex_);
    return pairings_.size();
}

std::optional<PairingRefusal> PairingService::save() {
    auto saved = store_.save(pairings_);
    if (saved) return std::nullopt;
    spdlog::error("cannot save the pairings to {}: {}", store_.file().string(), saved.error().message);
    return PairingRefusal{"storage_failed", "cannot save the pairings: " + saved.error().message};
}

}  // namespace cti
