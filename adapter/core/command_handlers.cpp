// Commands from pages: validated here, carried out by the driver, answered with one result.
#include <boost/asio/post.hpp>

#include "core/adapter_core.hpp"
#include "cti/dial_string.hpp"
#include "logging/logging.hpp"
#include "protocol/simulate_command.hpp"

namespace cti {
namespace {

using nlohmann::json;

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
std::variant<std::string, Rejection> dial_number(const json& body, const DialPlan& plan) {
    auto to = protocol::string_field(body, "to", 64);
    if (auto* error = std::get_if<protocol::FieldError>(&to)) return Rejection{"bad_request", error->message};
    auto number = normalize_dial_string(std::get<std::string>(to));
    if (!number)
        return Rejection{"invalid_number",
                         "'to' must be digits, '*' or '#' with an optional leading '+' (at most 32)"};
    auto planned = plan.apply(*number);
    if (auto* refused = std::get_if<DialRefused>(&planned)) return Rejection{"dial_refused", refused->message};
    return std::get<std::string>(planned);
}

}  // namespace

void AdapterCore::reply_error(const Client& client, const json& id, std::string_view code,
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

void AdapterCore::dispatch(const Client& client, protocol::Command& command) {
    const auto& type = command.type;
    if (type == "ping") return send(client, protocol::encode_result(command.id, {{"time", protocol::iso8601(Clock::now())}}));
    if (type == "snapshot")
        return send(client, protocol::encode_result(command.id, protocol::snapshot_body(snapshot())));
    if (type == "dial") return dial(client, command);
    if (type == "simulate") return simulate(client, command);
    if (type == "save_log") return save_log(client, command);
    if (type == "history") return history(client, command);
    if (type == "set_agent_state") return set_agent_state(client, command);
    if (type.starts_with("pairing.")) return pairing_command(client, command);
    if (type == "resume") {
        const bool session = command.body.contains("epoch") || command.body.contains("after_seq");
        if (session && command.body.contains("call_id"))
            return reply_error(client, command.id, "bad_request",
                               "'resume' takes either 'call_id' (take a call off hold) or "
                               "'epoch' and 'after_seq' (resume events), not both");
        if (session) return resume_session(client, command);
    }
    for (const auto& spec : call_commands)
        if (type == spec.type) {
            if (!driver_can(client, command.id, spec.capability)) return;
            return call_command(client, command, spec.kind);
        }
    reply_error(client, command.id, "unknown_command",
                "unknown command '" + printable(type, 40) +
                    "'; see docs/PROTOCOL.md for the commands of protocol version 1");
}

bool AdapterCore::driver_can(const Client& client, const json& id, Capability capability) {
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
    auto call_id = protocol::string_field(command.body, "call_id", 128);
    if (auto* error = std::get_if<protocol::FieldError>(&call_id))
        return reply_error(client, command.id, "bad_request", error->message);
    const auto& id = std::get<std::string>(call_id);
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
        auto number = dial_number(command.body, dial_plan_);
        if (auto* rejection = std::get_if<Rejection>(&number))
            return reply_error(client, command.id, rejection->code, rejection->message);
        driver_command.number = std::get<std::string>(number);
    }
    if (kind == DriverCommand::Kind::dtmf) {
        auto digits = protocol::string_field(command.body, "digits", 32);
        if (auto* error = std::get_if<protocol::FieldError>(&digits))
            return reply_error(client, command.id, "bad_request", error->message);
        if (!is_valid_dtmf(std::get<std::string>(digits)))
            return reply_error(client, command.id, "bad_request",
                               "'digits' may contain only 0-9, *, # and A-D");
        driver_command.digits = std::get<std::string>(digits);
    }
    run_on_driver(client, command.id, std::move(driver_command), {});
}

void AdapterCore::dial(const Client& client, protocol::Command& command) {
    auto number = dial_number(command.body, dial_plan_);
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
    if (command.body.contains("call_id")) {
        // A simulated event for an existing call: address it by the call's ref.
        auto call_id = protocol::string_field(command.body, "call_id", 128);
        if (auto* error = std::get_if<protocol::FieldError>(&call_id))
            return reply_error(client, command.id, "bad_request", error->message);
        const auto* ref = calls_.ref_of(std::get<std::string>(call_id));
        if (!ref)
            return reply_error(client, command.id, "no_such_call",
                               "no active call with call_id '" +
                                   printable(std::get<std::string>(call_id), 64) + "'");
        driver_command.ref = *ref;
    } else {
        // Might start a call: give it an id now so the result can name it.
        driver_command.ref = reserved = calls_.reserve_id();
    }
    auto injection = protocol::decode_injection(command.body);
    if (!injection) {
        if (!reserved.empty()) calls_.release(reserved);
        // Logged as a driver's refusal is, so support sees why a test call never rang.
        spdlog::info("command {} failed: bad_request {}", command.id.dump(), masked_text(injection.error().message));
        return reply_error(client, command.id, "bad_request", injection.error().message);
    }
    driver_command.injection = std::move(*injection);
    // A script (or a test) that makes a call ring and then kills the adapter relies on the
    // call being in the journal by the time the result arrives: it then is logged on restart.
    run_on_driver(client, command.id, std::move(driver_command), std::move(reserved), true);
}

void AdapterCore::run_on_driver(const Client& client, json id, DriverCommand command,
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
                auto result = protocol::encode_result(id, protocol::command_result_body(*outcome, call_id));
                if (!after_journal) {
                    send(client, std::move(result));
                    return answered(client);
                }
                return after_queued_writes([this, client, result = std::move(result)] {
                    send(client, result);
                    answered(client);
                });
            }
            const auto code = protocol::command_error_code(outcome.error().kind);
            spdlog::info("command {} failed: {} {}", id.dump(), code, masked_text(outcome.error().message));
            reply_error(client, id, code, outcome.error().message);
            answered(client);
        });
    };
    ++unanswered_[client];
    driver_->execute(std::move(command), std::move(done));
}

void AdapterCore::save_log(const Client& client, const protocol::Command& command) {
    auto log_id = protocol::string_field(command.body, "log_id", 128);
    if (auto* error = std::get_if<protocol::FieldError>(&log_id))
        return reply_error(client, command.id, "bad_request", error->message);
    auto optional_text = [&](const char* name, std::size_t max) -> std::variant<std::optional<std::string>, std::string> {
        auto it = command.body.find(name);
        if (it == command.body.end() || it->is_null()) return std::optional<std::string>{};
        if (!it->is_string() || it->get_ref<const std::string&>().size() > max)
            return std::string("'") + name + "' must be a string of at most " + std::to_string(max) + " bytes";
        return std::optional<std::string>(it->get<std::string>());
    };
    auto disposition = optional_text("disposition", 128);
    auto notes = optional_text("notes", 8000);
    for (auto* field : {&disposition, &notes})
        if (auto* problem = std::get_if<std::string>(field))
            return reply_error(client, command.id, "bad_request", *problem);
    // Queued behind the record's own write, so a save_log that races the write (the page has
    // call.ended, its call_log is not out yet) still finds it. The result goes out once the
    // acknowledgement has committed.
    writer_->queue([this, client, id = command.id, log_id = std::get<std::string>(log_id),
                    disposition = std::get<std::optional<std::string>>(disposition),
                    notes = std::get<std::optional<std::string>>(notes)](CallLogJournal& journal) -> CallLogWriter::Completion {
        std::optional<CallLogRecord> saved;
        std::string problem;
        try {
            saved = journal.acknowledge(log_id, disposition, notes);
        } catch (const CallLogError& error) {
            problem = error.what();
        }
        return [this, client, id, log_id, saved = std::move(saved), problem = std::move(problem)](bool committed) {
            boost::asio::post(strand_, [this, client, id, log_id, saved, problem, committed] {
                saved_log(client, id, log_id, committed ? saved : std::nullopt,
                          committed ? problem : "the transaction did not commit");
            });
        };
    });
}

void AdapterCore::saved_log(const Client& client, const json& id, const std::string& log_id,
                            const std::optional<CallLogRecord>& saved, const std::string& problem) {
    if (!problem.empty()) return reply_error(client, id, "storage_error", problem);
    if (!saved) return reply_error(client, id, "no_such_log", "no call log with log_id '" + printable(log_id, 64) + "'");
    if (pending_logs_.remove(log_id)) reload_pending_logs();
    auto log = to_json(*saved);
    send(client, protocol::encode_result(id, {{"log", log}}));
    broadcast(events_.append("call_log.saved", {{"log", std::move(log)}}));
}

void AdapterCore::history(const Client& client, const protocol::Command& command) {
    std::int64_t before = 0, limit = 20;
    if (auto it = command.body.find("before"); it != command.body.end() && !it->is_null()) {
        if (!it->is_number_integer() || it->get<std::int64_t>() < 0)
            return reply_error(client, command.id, "bad_request", "'before' must be a cursor (an integer >= 0)");
        before = it->get<std::int64_t>();
    }
    if (auto it = command.body.find("limit"); it != command.body.end()) {
        if (!it->is_number_integer() || it->get<std::int64_t>() < 1 || it->get<std::int64_t>() > 100)
            return reply_error(client, command.id, "bad_request", "'limit' must be an integer from 1 to 100");
        limit = it->get<std::int64_t>();
    }
    // A read, but on the journal's thread: the journal is that thread's alone.
    writer_->queue([this, client, id = command.id, before, limit](CallLogJournal& journal) -> CallLogWriter::Completion {
        json reply;
        std::string problem;
        try {
            auto records = journal.history(before, static_cast<std::size_t>(limit));
            json logs = json::array();
            for (const auto& record : records) logs.push_back(to_json(record));
            const bool more = records.size() == static_cast<std::size_t>(limit);
            reply = {{"logs", std::move(logs)}, {"next", more ? json(records.back().cursor) : json(nullptr)}};
        } catch (const CallLogError& error) {
            problem = error.what();
        }
        return [this, client, id, reply = std::move(reply), problem = std::move(problem)](bool) {
            boost::asio::post(strand_, [client, id, reply, problem] {
                if (!problem.empty()) return reply_error(client, id, "storage_error", problem);
                send(client, protocol::encode_result(id, reply));
            });
        };
    });
}

void AdapterCore::set_agent_state(const Client& client, const protocol::Command& command) {
    auto requested = requested_state(command.body, options_.agent, Clock::now());
    if (auto* problem = std::get_if<std::string>(&requested))
        return reply_error(client, command.id, "bad_request", *problem);
    change_agent_state(std::get<AgentState>(std::move(requested)));
    // Answered once the new state is on disk, as before the journal had a thread of its own.
    after_queued_writes([client, result = protocol::encode_result(command.id, {{"agent", agent_.to_json()}})] {
        send(client, result);
    });
}

void AdapterCore::resume_session(const Client& client, const protocol::Command& command) {
    const auto& body = command.body;
    auto epoch = body.find("epoch");
    auto after = body.find("after_seq");
    if (epoch == body.end() || !epoch->is_string())
        return reply_error(client, command.id, "bad_request", "'epoch' must be a string");
    if (after == body.end() || !after->is_number_integer() || after->get<std::int64_t>() < 0)
        return reply_error(client, command.id, "bad_request",
                           "'after_seq' must be an integer >= 0");
    const auto after_seq = after->get<std::uint64_t>();
    std::optional<std::vector<protocol::Frame>> missed;
    if (epoch->get<std::string>() == events_.epoch()) missed = events_.since(after_seq);
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
        return send(client, protocol::encode_result(command.id, {{"replayed", 0}, {"resync", true}}));
    }
    for (auto& frame : *missed) send(client, frame);
    send(client, protocol::encode_result(command.id, {{"replayed", missed->size()}, {"resync", false}}));
}

}  // namespace cti
