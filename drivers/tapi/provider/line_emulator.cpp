#include "provider/line_emulator.hpp"

#include <chrono>

namespace cti::tapi {
namespace {

LineReply failure(const LineOperation& operation, std::uint32_t code, std::string why) {
    return {operation.request_id, code, std::move(why)};
}

ControlOutcome control_failure(std::string why) { return {false, std::move(why), {}}; }

}  // namespace

LineEmulator::LineEmulator(boost::asio::io_context& io, EmulatorSettings settings,
                           Announce announce)
    : io_(io), settings_(std::move(settings)), announce_(std::move(announce)) {}

std::vector<LineCallStateChange> LineEmulator::calls() const {
    std::vector<LineCallStateChange> states;
    for (const auto& [handle, call] : calls_)
        if (call.last.state != LineCallState::idle) states.push_back(call.last);  // not yet dialled
    return states;
}

LineReply LineEmulator::execute(const LineOperation& operation) {
    using Kind = LineOperation::Kind;
    if (operation.kind == Kind::make_call) return make_call(operation);
    auto* call = find(operation.call);
    if (!call)
        return failure(operation, lineerr_invalcallhandle, "no call '" + operation.call + "'");
    const auto state = call->last.state;
    const LineReply ok{operation.request_id, 0, {}};
    switch (operation.kind) {
        case Kind::answer:
            if (state != LineCallState::offering && state != LineCallState::accepted) break;
            answer(*call);
            return ok;
        case Kind::drop:
            drop(*call);
            return ok;
        case Kind::hold:
            if (state != LineCallState::connected) break;
            set_state(operation.call, LineCallState::onhold);
            return ok;
        case Kind::unhold:
            if (state != LineCallState::onhold) break;
            set_state(operation.call, LineCallState::connected);
            return ok;
        case Kind::blind_transfer:
            if (state != LineCallState::connected && state != LineCallState::onhold) break;
            disconnect(operation.call, DisconnectMode::normal);  // the call leaves this line
            return ok;
        case Kind::generate_digits:
            if (state != LineCallState::connected) break;
            return ok;  // the far end is a machine that ignores tones
        case Kind::make_call:
            break;
    }
    return failure(operation, lineerr_invalcallstate,
                   std::string(operation_name(operation.kind)) + " is not allowed in " +
                       std::string(to_string(state)));
}

LineReply LineEmulator::make_call(const LineOperation& operation) {
    if (calls_.contains(operation.call))
        return failure(operation, lineerr_invalcallhandle, "call '" + operation.call + "' exists");
    auto& call = calls_[operation.call];
    call.last.call = operation.call;
    call.last.origin = CallOrigin::outbound;
    call.last.caller = settings_.line;
    call.last.called = {operation.dest, ""};
    const auto handle = operation.call;
    const auto dest = operation.dest;
    // The states follow the reply, as LINE_CALLSTATE messages follow LINE_REPLY in TAPI.
    after(handle, 0, [this, handle, dest] {
        // A timer that already fired cannot be cancelled: check the call is still undialled.
        if (!in_state(handle, LineCallState::idle)) return;
        set_state(handle, LineCallState::dialtone);
        set_state(handle, LineCallState::dialing);
        set_state(handle, LineCallState::proceeding);
        if (settings_.busy_numbers.contains(dest)) {
            set_state(handle, LineCallState::busy);
            disconnect(handle, DisconnectMode::busy);
            return;
        }
        set_state(handle, LineCallState::ringback);
        if (settings_.unanswered_numbers.contains(dest)) return;
        after(handle, settings_.answer_after_ms, [this, handle] {
            if (in_state(handle, LineCallState::ringback))
                set_state(handle, LineCallState::connected);
        });
    });
    return {operation.request_id, 0, {}};
}

void LineEmulator::answer(EmulatedCall& call) {
    const auto handle = call.last.call;
    set_state(handle, LineCallState::connected);
    if (call.hangup_after_answer_ms)
        after(handle, *call.hangup_after_answer_ms, [this, handle] {
            if (in_state(handle, LineCallState::connected) ||
                in_state(handle, LineCallState::onhold))
                disconnect(handle, DisconnectMode::normal);
        });
}

void LineEmulator::drop(EmulatedCall& call) {
    // Dropping a call that is still offered turns the caller away; anything else hangs up.
    const bool offered =
        call.last.state == LineCallState::offering || call.last.state == LineCallState::accepted;
    disconnect(call.last.call, offered ? DisconnectMode::reject : DisconnectMode::normal);
}

ControlOutcome LineEmulator::control(const ControlCommand& command) {
    using Kind = ControlCommand::Kind;
    if (command.kind == Kind::offer) return offer(command);
    auto* call = find(command.call);
    if (!call) return control_failure("no call '" + command.call + "'");
    const bool offered =
        call->last.state == LineCallState::offering || call->last.state == LineCallState::accepted;
    switch (command.kind) {
        case Kind::answer:
            if (!is_setting_up_outbound(*call))
                return control_failure(
                    "only a ringing outbound call can be answered by the far end");
            call->timer.reset();
            set_state(command.call, LineCallState::connected);
            break;
        case Kind::hangup:
            disconnect(command.call, DisconnectMode::normal);
            break;
        case Kind::busy:
            if (!is_setting_up_outbound(*call))
                return control_failure("only a ringing outbound call can be busy");
            set_state(command.call, LineCallState::busy);
            disconnect(command.call, DisconnectMode::busy);
            break;
        case Kind::pickup:
            if (!offered) return control_failure("only an offered call can be picked up elsewhere");
            disconnect(command.call, DisconnectMode::pickup);
            break;
        case Kind::disconnect:
            set_state(command.call, LineCallState::disconnected, command.mode);
            set_state(command.call, LineCallState::idle);
            break;
        case Kind::state:  // raw, unchecked: lets a trainer show what odd sequences do
            set_state(command.call, *line_call_state_from(command.state), command.mode);
            break;
        case Kind::offer:
            break;
    }
    return {true, {}, command.call};
}

ControlOutcome LineEmulator::offer(const ControlCommand& command) {
    auto handle = command.call.empty() ? "c" + std::to_string(++offers_) : command.call;
    if (calls_.contains(handle)) return control_failure("call '" + handle + "' exists");
    auto& call = calls_[handle];
    call.last.call = handle;
    call.last.origin = command.internal ? CallOrigin::internal : CallOrigin::inbound;
    call.last.caller = command.from;
    call.last.called = command.to.empty() ? settings_.line : Party{command.to, settings_.line.name};
    call.hangup_after_answer_ms = command.hangup_after_answer_ms;
    set_state(handle, LineCallState::offering);
    return {true, {}, handle};
}

bool LineEmulator::is_setting_up_outbound(const EmulatedCall& call) const {
    const auto state = call.last.state;
    return call.last.origin == CallOrigin::outbound &&
           (state == LineCallState::dialing || state == LineCallState::proceeding ||
            state == LineCallState::ringback);
}

bool LineEmulator::in_state(const std::string& handle, LineCallState state) {
    auto* call = find(handle);
    return call && call->last.state == state;
}

void LineEmulator::set_state(const std::string& handle, LineCallState state, std::uint32_t mode) {
    auto* call = find(handle);
    if (!call) return;
    call->last.state = state;
    call->last.mode = mode;
    announce_(encode(call->last));
    if (state == LineCallState::idle || state == LineCallState::disconnected) call->timer.reset();
    if (state == LineCallState::idle) calls_.erase(handle);
}

void LineEmulator::disconnect(const std::string& handle, DisconnectMode mode) {
    set_state(handle, LineCallState::disconnected, value_of(mode));
    set_state(handle, LineCallState::idle);
}

void LineEmulator::after(const std::string& handle, std::int64_t ms, std::function<void()> action) {
    auto* call = find(handle);
    if (!call) return;
    // One pending far-end action per call: a new one replaces it, and the call's end cancels it.
    call->timer = std::make_unique<boost::asio::steady_timer>(io_, std::chrono::milliseconds(ms));
    call->timer->async_wait([action = std::move(action)](boost::system::error_code ec) {
        if (!ec) action();
    });
}

LineEmulator::EmulatedCall* LineEmulator::find(const std::string& handle) {
    auto it = calls_.find(handle);
    return it == calls_.end() ? nullptr : &it->second;
}

}  // namespace cti::tapi
