// The pairing administration commands (docs/PROTOCOL.md, section 1.3): list, approve, deny and
// revoke. Only the adapter's own origin (the /pair page, the CLI) may send them; a page of any
// other origin could otherwise approve itself.
#include "core/adapter_core.hpp"
#include "logging/logging.hpp"
#include "protocol/command_fields.hpp"

namespace cti {

void AdapterCore::pairing_command(const Client& client, protocol::Command& command) {
    const auto connection = client.lock();
    if (!connection) return;
    if (!connection->own_origin()) {
        refusal_log_.log(RefusalKind::forbidden_command,
                          fmt::format("{} sent '{}': pairing commands are only for the adapter's own origin",
                                      connection->label(), printable(command.type, 40)));
        return reply_error(client, command.id, "forbidden",
                           "pairing commands are accepted only from the adapter's own page");
    }
    const auto& type = command.type;
    if (type == "pairing.list") {
        auto listing = pairing_.list();
        return send(client, protocol::encode_pairing_list_result(command.id, listing.pending, listing.paired));
    }
    const bool approve = type == "pairing.approve", deny = type == "pairing.deny";
    if (!approve && !deny && type != "pairing.revoke")
        return reply_error(client, command.id, "unknown_command",
                           "unknown command '" + printable(type, 40) +
                               "'; the pairing commands are pairing.list, pairing.approve, "
                               "pairing.deny and pairing.revoke");
    auto target = approve || deny ? protocol::pairing_request_id_field(command.body)
                                  : protocol::pairing_target_field(command.body);
    if (!target) return reply_error(client, command.id, "bad_request", target.error().message);
    const auto& name = *target;
    if (approve || deny) {
        auto refused = approve ? pairing_.approve(name) : pairing_.deny(name);
        if (refused) return reply_error(client, command.id, refused->code, refused->message);
        return send(client, protocol::encode_empty_result(command.id));
    }
    auto revoked = pairing_.revoke(name);
    if (auto* refused = std::get_if<PairingRefusal>(&revoked))
        return reply_error(client, command.id, refused->code, refused->message);
    const auto& revocation = std::get<Revocation>(revoked);
    send(client, protocol::encode_revocation_result(command.id, revocation.ids, revocation.sessions_closed));
}

}  // namespace cti
