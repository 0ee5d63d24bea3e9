// A WebSocket session before it is attached to the core: `authenticate` with a token, or `pair`
// and wait for the user's decision on /pair (docs/PROTOCOL.md, section 1.3). Anything else
// closes it with 4001, a flood of frames with 4029. Logs name the origin and the reason, never a
// token, and are throttled (RefusalLog).
#include "logging/logging.hpp"
#include "net/websocket_session.hpp"
#include "protocol/command_fields.hpp"

namespace cti {

void WebsocketSession::handle_unauthenticated(const std::string& text) {
    if (!unauthenticated_frames_.take())
        return refuse_unauthenticated("too many frames before authenticating", close_code::rate_exceeded);
    auto decoded = protocol::decode_command(text);
    if (auto* error = std::get_if<protocol::DecodeError>(&decoded))
        return refuse_unauthenticated("a malformed frame before authenticating (" + error->code + ")");
    const auto& command = std::get<protocol::Command>(decoded);
    if (command.type == "authenticate") return authenticate(command);
    if (command.type == "pair") return request_pairing(command);
    refuse_unauthenticated("'" + printable(command.type, 40) + "' before authenticating");
}

void WebsocketSession::authenticate(const protocol::Command& command) {
    auto token = protocol::token_field(command.body);
    if (!token) return refuse_unauthenticated("'authenticate' without a token");
    auto outcome = context_.pairing.authenticate(origin_, *token);
    if (auto* refused = std::get_if<PairingRefusal>(&outcome)) return refuse_unauthenticated(refused->message);
    end_pairing_request();
    if (!take_slot()) return;
    const auto& pairing_id = std::get<std::string>(outcome);
    spdlog::info("{} authenticated (pairing {})", label_, pairing_id);
    enqueue(protocol::encode_authenticated_result(command.id, pairing_id));
    attach(pairing_id);
}

void WebsocketSession::request_pairing(const protocol::Command& command) {
    if (!pairing_request_.empty())
        return enqueue(protocol::encode_error_result(
            command.id, "pairing_pending", "this connection already waits for approval on /pair"));
    auto name = protocol::pairing_name_field(command.body);
    if (!name) return enqueue(protocol::encode_error_result(command.id, "bad_request", name.error().message));
    auto outcome = context_.pairing.request(origin_, *name, weak_from_this());
    if (auto* refused = std::get_if<PairingRefusal>(&outcome)) {
        context_.refusal_log.log(RefusalKind::pairing,
                                  fmt::format("{} asked to pair: refused: {}", label_, refused->message));
        return enqueue(protocol::encode_error_result(command.id, refused->code, refused->message));
    }
    const auto& request = std::get<PairingRequest>(outcome);
    pairing_request_ = request.id;
    // The user may take a while on /pair: the pairing's own timeout applies instead of the short
    // one, and the page keeps its place in the pool. pairing.max_pending_per_origin caps them.
    auth_deadline_.cancel();
    ticket_.set_waiting_for_pairing(true);
    const auto timeout = context_.pairing.settings().request_timeout_ms;
    spdlog::info("{} asks to pair as '{}'; approve or deny at http://127.0.0.1:{}/pair", label_,
                 printable(request.name), context_.port);
    enqueue(protocol::encode_pairing_request_result(
        command.id, request, "http://127.0.0.1:" + std::to_string(context_.port) + "/pair", timeout));
    pairing_deadline_.expires_after(std::chrono::milliseconds(timeout));
    pairing_deadline_.async_wait([self = shared_from_this()](beast::error_code ec) {
        if (ec || self->pairing_request_.empty()) return;
        // Whoever takes the request first wins: an approval at this very moment goes through.
        if (!self->context_.pairing.withdraw(self->pairing_request_)) return;
        self->pairing_request_.clear();
        spdlog::info("{}: its pairing request expired", self->label_);
        self->enqueue(protocol::encode_pairing_failed("expired"));
        self->back_from_pairing();
    });
}

void WebsocketSession::start_auth_deadline() {
    auth_deadline_.expires_after(std::chrono::milliseconds(context_.limits.auth_timeout_ms));
    auth_deadline_.async_wait([self = shared_from_this()](beast::error_code ec) {
        if (ec || self->attached_ || self->closing_ || !self->pairing_request_.empty()) return;
        self->refuse_unauthenticated("no 'authenticate' or 'pair' within limits.auth_timeout_ms (" +
                                     std::to_string(self->context_.limits.auth_timeout_ms) + " ms)");
    });
}

bool WebsocketSession::take_slot() {
    if (auto slot = context_.slots.try_occupy(own_origin_)) {
        slot_ = std::move(*slot);
        return true;
    }
    context_.refusal_log.log(RefusalKind::busy,
                             fmt::format("{} refused: authenticated, but too many connections are open "
                                         "(limits.max_connections {}); closing it with {}",
                                         label_, context_.slots.max(), close_code::try_again_later));
    end_pairing_request();
    begin_close(close_code::try_again_later, "too many connections", false);
    return false;
}

void WebsocketSession::back_from_pairing() {
    if (attached_ || closing_) return;
    ticket_.set_waiting_for_pairing(false);
    start_auth_deadline();
}

void WebsocketSession::evict() {
    net::post(ws_.get_executor(), [self = shared_from_this()] {
        if (self->attached_ || self->closing_) return;
        self->context_.refusal_log.log(
            RefusalKind::busy, fmt::format("{} refused: not authenticated when {} newer connections needed its "
                                           "place (limits.max_unauthenticated); closing it with {}",
                                           self->label_, self->context_.preauth.capacity(),
                                           close_code::try_again_later));
        self->end_pairing_request();
        self->begin_close(close_code::try_again_later, "too many unauthenticated connections", true);
    });
}

void WebsocketSession::end_pairing_request() {
    if (pairing_request_.empty()) return;
    context_.pairing.withdraw(std::exchange(pairing_request_, {}));
    pairing_deadline_.cancel();
}

void WebsocketSession::on_paired(std::string token, std::string pairing_id) {
    net::post(ws_.get_executor(), [self = shared_from_this(), token = std::move(token),
                                   pairing_id = std::move(pairing_id)] {
        self->pairing_request_.clear();
        self->pairing_deadline_.cancel();
        if (self->closing_ || self->attached_) return;
        spdlog::info("{} paired (pairing {})", self->label_, pairing_id);
        self->enqueue(protocol::encode_paired(token));  // the page keeps it even if it must come back later
        if (self->take_slot()) self->attach(pairing_id);
    });
}

void WebsocketSession::on_pairing_failed(std::string reason) {
    net::post(ws_.get_executor(), [self = shared_from_this(), reason = std::move(reason)] {
        self->pairing_request_.clear();
        self->pairing_deadline_.cancel();
        if (self->closing_ || self->attached_) return;
        self->enqueue(protocol::encode_pairing_failed(reason));
        self->back_from_pairing();
    });
}

void WebsocketSession::refuse_unauthenticated(std::string_view why, std::uint16_t code) {
    context_.refusal_log.log(RefusalKind::not_authenticated,
                              fmt::format("{} refused: {}; closing it with {}", label_, why, code));
    end_pairing_request();
    begin_close(code, code == close_code::rate_exceeded ? "frame rate exceeded" : "not authenticated", true);
}

}  // namespace cti
