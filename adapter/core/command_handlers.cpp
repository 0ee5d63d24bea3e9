// Commands from pages: validated here, carried out by the driver or the core's parts, answered
// with one result. protocol/ reads their fields; this file decides what each command does.
#include <unordered_map>

#include "core/adapter_core.hpp"
#include "cti/dial_string.hpp"
#include "logging/logging.hpp"
#include "protocol/command_fields.hpp"
#include "protocol/simulate_command.hpp"

namespace cti {
namespace {

struct CallCommandSpec {
    std::string_view type;
    DriverCommand::Kind kind;
    Capability capability;
};

constexpr CallCommandSpec call_commands[] = {
    {"answer", DriverCommand::Kind::answer, Capability::answer},
    {"decline", DriverCommand::Kind::decline, Capability::decline},
    {"hangup", DriverCommand::Kind::hangup, Capability::hangup},
    {"hold", DriverCommand::Kind::hold, Capability::hold},
    {"resume", DriverCommand::Kind::resume, Capability::resume},
    {"transfer", DriverCommand::Kind::transfer, Capability::transfer},
    {"dtmf", DriverCommand::Kind::dtmf, Capability::dtmf},
};

// Which states each call command applies to; the core checks before the driver sees it.
bool allowed_in(DriverCommand::Kind kind, const Call& call) {
    using K = DriverCommand::Kind;
    switch (kind) {
        case K::answer:
        case K::decline: return call.state == CallState::ringing;
        case K::hangup: return true;
        case K::hold: return call.state == CallState::connected;
        case K::resume: return call.state == CallState::held;
        case K::transfer: return call.state == CallState::connected || call.state == CallState::held;
        case K::dtmf: return call.state == CallState::connected;
        default: return false;
    }
}

// Why a field was refused: the error code and a message that names the field.
struct Rejection {
    std::string_view code;
    std::string message;
};

// The `to` of dial and transfer, cleaned (docs/PROTOCOL.md, 2.2) and put through the dial plan.
std::variant<std::string, Rejection> dial_number(const protocol::Command& command, const DialPlan& plan) {
    auto to = protocol::dial_to_field(command.body);
    if (!to) return Rejection{"bad_request", to.error().message};
    auto number = normalize_dial_string(*to);
    if (!number)
        return Rejection{"invalid_number",
                         "'to' must be digits, '*' or '#' with an optional leading '+' (at most 32)"};
    auto planned = plan.apply(*number);
    if (auto* refused = std::get_if<DialRefused>(&planned)) return Rejection{"dial_refused", refused->message};
    return std::get<std::string>(planned);
}

}  // namespace

void AdapterCore::reply_error(const Client& client, const protocol::RequestId& id, std::string_view code,
                              std::string_view message) {
    send(client, protocol::encode_error_result(id, code, message));
}

void AdapterCore::handle(const Client& client, const std::string& text) {
    auto decoded = protocol::decode_command(text);
    const auto* command = std::get_if<protocol::Command>(&decoded);
    // Every frame counts, a malformed one too: a flood of garbage is a flood all the same.
    if (!within_rate(client, command ? std::string_view(command->type) : "(not a command)")) return;
    if (auto* error = std::get_if<protocol::DecodeError>(&decoded)) {
        if (error->frame_level)
            send(client, protocol::encode_frame_error(error->code, error->message));
        else
            reply_error(client, error->id, error->code, error->message);
        return;
    }
    dispatch(client, std::get<protocol::Command>(decoded));
}

bool AdapterCore::within_rate(const Client& client, std::string_view type) {
    auto connection = client.lock();
    if (!connection) return false;
    const auto verdict = command_rates_.check(connection.get(), connection->rate_key(), type);
    if (verdict == RateVerdict::allowed) return true;
    if (verdict == RateVerdict::already_exceeded) return false;  // closing: logged once already
    const bool dials = verdict == RateVerdict::dials_exceeded;
    // The label names the client and its origin; the command's fields (a number) never appear.
    refusal_log_.log(RefusalKind::command_rate,
                     fmt::format("{} sent more than {} {} a minute (this one: '{}'); closing it with {}",
                                 connection->label(),
                                 dials ? command_rates_.rates().dials_per_minute
                                       : command_rates_.rates().commands_per_minute,
                                 dials ? "dial commands" : "commands", printable(type, 40),
                                 close_code::rate_exceeded));
    close_after_answers(client, close_code::rate_exceeded, "command rate exceeded");
    return false;
}

void AdapterCore::close_after_answers(const Client& client, std::uint16_t code, std::string reason) {
    if (unanswered_.contains(client)) {
        close_when_answered_.insert_or_assign(client, std::pair{code, std::move(reason)});
        return;
    }
    if (auto connection = client.lock()) connection->close(code, std::move(reason));
}

// After a driver command's result went out: the last one lets a pending close go ahead. The
// session closes after the frames already queued, so the result leaves first.
void AdapterCore::answered(const Client& client) {
    auto outstanding = unanswered_.find(client);
    if (outstanding == unanswered_.end() || --outstanding->second > 0) return;
    unanswered_.erase(outstanding);
    auto pending_close = close_when_answered_.find(client);
    if (pending_close == close_when_answered_.end()) return;
    auto [code, reason] = std::move(pending_close->second);
    close_when_answered_.erase(pending_close);
    if (auto connection = client.lock()) connection->close(code, std::move(reason));
}

// The commands other than the call commands and pairing.*, each with its handler.
void AdapterCore::dispatch(const Client& client, protocol::Command& command) {
    using Handler = void (AdapterCore::*)(const Client&, protocol::Command&);
    static const std::unordered_map<std::string_view, Handler> handlers{
        {"ping", &AdapterCore::ping},
        {"snapshot", &AdapterCore::send_snapshot},
        {"dial", &AdapterCore::dial},
        {"simulate", &AdapterCore::simulate},
        {"save_log", &AdapterCore::save_log},
        {"history", &AdapterCore::history},
        {"set_agent_state", &AdapterCore::set_agent_state},
        {"resume", &AdapterCore::resume},
    };
    const auto& type = command.type;
    if (auto handler = handlers.find(type); handler != handlers.end()) return (this->*handler->second)(client, command);
    if (type.starts_with("pairing.")) return pairing_command(client, command);
    for (const auto& spec : call_commands)
        if (type == spec.type) {
            if (!driver_can(client, command.id, spec.capability)) return;
            return call_command(client, command, spec.kind);
        }
    reply_error(client, command.id, "unknown_command",
                "unknown command '" + printable(type, 40) +
                    "'; see docs/PROTOCOL.md for the commands of protocol version 1");
}

void AdapterCore::ping(const Client& client, protocol::Command& command) {
    send(client, protocol::encode_ping_result(command.id, Clock::now()));
}

void AdapterCore::send_snapshot(const Client& client, protocol::Command& command) {
    send(client, protocol::encode_snapshot_result(command.id, snapshot()));
}

// With `call_id` it is the call command (take a call off hold); with `epoch` and `after_seq`
// the page resumes its events.
void AdapterCore::resume(const Client& client, protocol::Command& command) {
    if (protocol::resumes_session(command.body)) return resume_session(client, command);
    if (!driver_can(client, command.id, Capability::resume)) return;
    call_command(client, command, DriverCommand::Kind::resume);
}

bool AdapterCore::driver_can(const Client& client, const protocol::RequestId& id, Capability capability) {
    if (!driver_->capabilities().has(capability)) {
        reply_error(client, id, "unsupported",
                    "the '" + std::string(driver_->name()) + "' driver cannot " +
                        std::string(to_string(capability)));
        return false;
    }
    if (driver_status_.state != DriverState::connected) {
        reply_error(client, id, "driver_unavailable",
                    "the '" + std::string(driver_->name()) + "' driver is " +
                        std::string(to_string(driver_status_.state)) +
                        (driver_status_.detail.empty() ? "" : ": " + driver_status_.detail));
        return false;
    }
    return true;
}

void AdapterCore::call_command(const Client& client, protocol::Command& command,
                               DriverCommand::Kind kind) {
    auto call_id = protocol::call_id_field(command.body);
    if (!call_id) return reply_error(client, command.id, "bad_request", call_id.error().message);
    const auto& id = *call_id;
    const Call* call = calls_.find(id);
    if (!call)
        return reply_error(client, command.id, "no_such_call",
                           "no active call with call_id '" + printable(id, 64) + "'");
    if (!allowed_in(kind, *call))
        return reply_error(client, command.id, "invalid_state",
                           "call " + id + " is " + std::string(to_string(call->state)) +
                               "; cannot " + command.type + " it");
    DriverCommand driver_command;
    driver_command.kind = kind;
    driver_command.ref = *calls_.ref_of(id);
    if (kind == DriverCommand::Kind::transfer) {
        auto number = dial_number(command, dial_plan_);
        if (auto* rejection = std::get_if<Rejection>(&number))
            return reply_error(client, command.id, rejection->code, rejection->message);
        driver_command.number = std::get<std::string>(number);
    }
    if (kind == DriverCommand::Kind::dtmf) {
        auto digits = protocol::dtmf_digits_field(command.body);
        if (!digits) return reply_error(client, command.id, "bad_request", digits.error().message);
        if (!is_valid_dtmf(*digits))
            return reply_error(client, command.id, "bad_request",
                               "'digits' may contain only 0-9, *, # and A-D");
        driver_command.digits = std::move(*digits);
    }
    run_on_driver(client, command.id, std::move(driver_command), {});
}

void AdapterCore::dial(const Client& client, protocol::Command& command) {
    auto number = dial_number(command, dial_plan_);
    if (auto* rejection = std::get_if<Rejection>(&number))
        return reply_error(client, command.id, rejection->code, rejection->message);
    if (!driver_can(client, command.id, Capability::dial)) return;
    DriverCommand driver_command;
    driver_command.kind = DriverCommand::Kind::dial;
    driver_command.ref = calls_.reserve_id();
    driver_command.number = std::get<std::string>(number);
    spdlog::info("dial {} requested as call {}", masked(driver_command.number), driver_command.ref);
    auto reserved = driver_command.ref;
    run_on_driver(client, command.id, std::move(driver_command), std::move(reserved));
}

void AdapterCore::simulate(const Client& client, protocol::Command& command) {
    if (!driver_can(client, command.id, Capability::simulate)) return;
    DriverCommand driver_command;
    driver_command.kind = DriverCommand::Kind::simulate;
    std::string reserved;
    if (protocol::names_call(command.body)) {
        // A simulated event for an existing call: address it by the call's ref.
        auto call_id = protocol::call_id_field(command.body);
        if (!call_id) return reply_error(client, command.id, "bad_request", call_id.error().message);
        const auto* ref = calls_.ref_of(*call_id);
        if (!ref)
            return reply_error(client, command.id, "no_such_call",
                               "no active call with call_id '" + printable(*call_id, 64) + "'");
        driver_command.ref = *ref;
    } else {
        // Might start a call: give it an id now so the result can name it.
        driver_command.ref = reserved = calls_.reserve_id();
    }
    auto injection = protocol::decode_injection(command.body);
    if (!injection) {
        if (!reserved.empty()) calls_.release(reserved);
        // Logged as a driver's refusal is, so support sees why a test call never rang.
        spdlog::info("command \"{}\" failed: bad_request {}", command.id, masked_text(injection.error().message));
        return reply_error(client, command.id, "bad_request", injection.error().message);
    }
    driver_command.injection = std::move(*injection);
    // A script (or a test) that makes a call ring and then kills the adapter relies on the
    // call being in the journal by the time the result arrives: it then is logged on restart.
    run_on_driver(client, command.id, std::move(driver_command), std::move(reserved), true);
}

void AdapterCore::run_on_driver(const Client& client, protocol::RequestId id, DriverCommand command,
                                std::string reserved_id, bool after_journal) {
    auto done = [this, client, id = std::move(id), reserved_id, after_journal](CommandOutcome outcome) {
        // From the driver's strand: run at once; from inside execute(): queued behind the core's
        // code. Either way the reports the driver sent before calling `done` came first, so a
        // call started by this command exists by now.
        from_driver([this, client, id, reserved_id, after_journal, outcome = std::move(outcome)]() mutable {
            std::string call_id;
            if (!reserved_id.empty()) {
                if (calls_.has_seen_ref(reserved_id))
                    call_id = reserved_id;
                else
                    calls_.release(reserved_id);
            }
            if (outcome) {
                auto result = protocol::encode_command_result(id, *outcome, call_id);
                if (!after_journal) {
                    send(client, std::move(result));
                    return answered(client);
                }
                return call_logs_.after_queued_writes([this, client, result = std::move(result)] {
                    send(client, result);
                    answered(client);
                });
            }
            const auto code = protocol::command_error_code(outcome.error().kind);
            spdlog::info("command \"{}\" failed: {} {}", id, code, masked_text(outcome.error().message));
            reply_error(client, id, code, outcome.error().message);
            answered(client);
        });
    };
    ++unanswered_[client];
    driver_->execute(std::move(command), std::move(done));
}

void AdapterCore::save_log(const Client& client, protocol::Command& command) {
    auto request = protocol::save_log_request(command.body);
    if (!request) return reply_error(client, command.id, "bad_request", request.error().message);
    // The result goes out once the acknowledgement has committed.
    call_logs_.save(std::move(*request), [client, id = command.id](Result<CallLogRecord> saved) {
        if (!saved)
            return reply_error(client, id, saved.error().kind == ErrorKind::not_found ? "no_such_log" : "storage_error",
                               saved.error().message);
        send(client, protocol::encode_call_log_result(id, *saved));
    });
}

void AdapterCore::history(const Client& client, protocol::Command& command) {
    auto request = protocol::history_request(command.body);
    if (!request) return reply_error(client, command.id, "bad_request", request.error().message);
    call_logs_.history(*request, [client, id = command.id](Result<HistoryPage> page) {
        if (!page) return reply_error(client, id, "storage_error", page.error().message);
        send(client, protocol::encode_history_result(id, page->newest_first, page->more));
    });
}

void AdapterCore::set_agent_state(const Client& client, protocol::Command& command) {
    auto requested = protocol::agent_state_request(command.body, options_.agent, Clock::now());
    if (!requested) return reply_error(client, command.id, "bad_request", requested.error().message);
    agent_.change(std::move(*requested));
    // Answered once the new state is on disk, as before the journal had a thread of its own.
    call_logs_.after_queued_writes(
        [client, result = protocol::encode_agent_state_result(command.id, agent_.current())] {
            send(client, result);
        });
}

void AdapterCore::resume_session(const Client& client, const protocol::Command& command) {
    auto request = protocol::resume_session_request(command.body);
    if (!request) return reply_error(client, command.id, "bad_request", request.error().message);
    const auto& events = pages_.events();
    std::optional<std::vector<protocol::Frame>> missed;
    if (request->epoch == events.epoch()) missed = events.since(request->after_seq);
    // More than half the page's send queue at once would close it with 4008 before it read
    // them (live events may arrive meanwhile): the snapshot tells it the same in one frame.
    if (missed && missed->size() > options_.client_queue_limit / 2) {
        if (auto connection = client.lock())
            spdlog::info("{} resumes {} events, more than half of limits.client_queue_limit ({}): sending a "
                         "resync snapshot instead",
                         connection->label(), missed->size(), options_.client_queue_limit);
        missed.reset();
    }
    if (!missed) {
        send(client, protocol::encode_snapshot(snapshot(), true));
        return send(client, protocol::encode_resume_result(command.id, 0, true));
    }
    for (auto& frame : *missed) send(client, frame);
    send(client, protocol::encode_resume_result(command.id, missed->size(), false));
}

}  // namespace cti
