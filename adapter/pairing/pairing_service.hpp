// Who may control the phone from a page of another origin (docs/PROTOCOL.md, section 1.3):
// the paired and preseeded tokens, the requests waiting on /pair, and the sessions each token
// opened (so a revoked token's pages are closed with 4003).
//
// Thread-safe (a mutex: the sessions call it from their strands, admin commands from the
// core's). Waiters and sessions are only ever called through methods that post.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/client_connection.hpp"
#include "pairing/pairing_requests.hpp"
#include "pairing/pairing_settings.hpp"
#include "pairing/pairing_store.hpp"

namespace cti {

// Why something was refused: a protocol error code and a message for the page or the log.
// Never holds a token.
struct PairingRefusal {
    std::string code;
    std::string message;
};

struct PairingListing {
    std::vector<PairingRequest> pending;
    std::vector<Pairing> paired;
};

struct Revocation {
    std::vector<std::string> ids;
    std::size_t sessions_closed = 0;
};

class PairingService {
public:
    explicit PairingService(PairingSettings settings);

    bool required() const { return settings_.required; }
    const PairingSettings& settings() const { return settings_; }

    // The pairing id the token belongs to, or why it does not open a session for `origin`.
    std::variant<std::string, PairingRefusal> authenticate(const std::string& origin,
                                                           const std::string& token);
    // Whether `token` opens a session for `origin`, for a plain request (GET /status) that
    // shows one: unlike authenticate() it records no use, since a poll is not a session.
    bool holds_pairing(const std::string& origin, const std::string& token);
    std::variant<PairingRequest, PairingRefusal> request(std::string origin, std::string name,
                                                         std::weak_ptr<PairingWaiter> waiter);
    // Drops a request its page no longer waits for; true when it was still pending.
    bool withdraw(const std::string& request_id);
    // Remembers that `session` was opened with this pairing, to close it if it is revoked.
    void watch(const std::string& pairing_id, std::weak_ptr<ClientConnection> session);

    // Administration, for the adapter's own origin only (checked by the caller).
    PairingListing list();
    std::optional<PairingRefusal> approve(const std::string& request_id);
    std::optional<PairingRefusal> deny(const std::string& request_id);
    // `target` is a pairing id or an origin (every pairing of it).
    std::variant<Revocation, PairingRefusal> revoke(const std::string& target);
    std::size_t paired_count() const;

private:
    std::optional<PairingRefusal> save();
    // The pairing whose token this is, or null; every entry is compared (mutex_ held).
    Pairing* pairing_with_token(const std::string& token);

    PairingSettings settings_;
    PairingStore store_;
    mutable std::mutex mutex_;
    std::vector<Pairing> pairings_;  // the file's, then the preseeded ones
    PairingRequests requests_;
    std::vector<std::pair<std::string, std::weak_ptr<ClientConnection>>> sessions_;
};

}  // namespace cti
