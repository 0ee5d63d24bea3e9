#include "protocol/client_frames.hpp"

#include "protocol/received_object.hpp"

namespace cti::protocol {
namespace {

constexpr std::pair<std::string_view, ServerFrameType> frame_types[] = {
    {"hello", ServerFrameType::hello},   {"snapshot", ServerFrameType::snapshot},
    {"event", ServerFrameType::event},   {"result", ServerFrameType::result},
    {"error", ServerFrameType::error},
};

constexpr CallReport::Kind call_event_kinds[] = {CallReport::Kind::offered, CallReport::Kind::dialing,
                                                 CallReport::Kind::connected, CallReport::Kind::held,
                                                 CallReport::Kind::resumed, CallReport::Kind::ended};

auto invalid(std::string message) { return fail(ErrorKind::invalid_input, std::move(message)); }

// The frame's `type`, which must be `expected`.
Result<void> check_type(const ReceivedObject& frame, std::string_view what, std::string_view expected) {
    auto type = frame.string("type");
    if (!type) return fail(type.error());
    if (*type != expected)
        return invalid(std::string(what) + ": 'type' is '" + *type + "', not '" + std::string(expected) + "'");
    return {};
}

Result<CommandError> command_error(const ReceivedObject& frame) {
    auto error = frame.object("error");
    if (!error) return fail(error.error());
    FirstProblem problem;
    CommandError read{problem.take(error->string("code")), problem.take(error->string("message"))};
    if (problem) return problem.failure();
    return read;
}

// A `result` (or `error`) frame, its `data` read by `read_data` when the command succeeded.
template <typename Data, typename ReadData>
Result<CommandResult<Data>> decode_result(std::string_view text, std::string_view command, ReadData read_data) {
    auto frame = ReceivedObject::parse(text, "the result of " + std::string(command));
    if (!frame) return fail(frame.error());
    CommandResult<Data> result;
    auto type = frame->string("type");
    if (!type) return fail(type.error());
    if (*type == "error") {  // a frame the adapter could not take as a command
        auto error = command_error(*frame);
        if (!error) return fail(error.error());
        result.error = std::move(*error);
        return result;
    }
    if (auto checked = check_type(*frame, "the result of " + std::string(command), "result"); !checked)
        return fail(checked.error());
    auto id = frame->optional_string("id");
    if (!id) return fail(id.error());
    result.id = id->value_or("");
    auto ok = frame->boolean("ok");
    if (!ok) return fail(ok.error());
    if (!*ok) {
        auto error = command_error(*frame);
        if (!error) return fail(error.error());
        result.error = std::move(*error);
        return result;
    }
    auto data = frame->object("data");
    if (!data) return fail(data.error());
    auto read = read_data(*data);
    if (!read) return fail(read.error());
    result.data = std::move(*read);
    return result;
}

Result<PendingPairing> pending_pairing(const ReceivedObject& request) {
    FirstProblem problem;
    PendingPairing pending;
    pending.id = problem.take(request.string("id"));
    pending.origin = problem.take(request.string("origin"));
    pending.name = problem.take(request.string("name"));
    pending.code = problem.take(request.string("code"));
    pending.expires_in_ms = problem.take(request.integer("expires_in_ms"));
    if (problem) return problem.failure();
    return pending;
}

Result<Pairing> pairing_entry(const ReceivedObject& entry) {
    FirstProblem problem;
    Pairing pairing;
    pairing.id = problem.take(entry.string("id"));
    pairing.origin = problem.take(entry.string("origin"));
    pairing.name = problem.take(entry.string("name"));
    pairing.created = problem.take(entry.optional_string("created")).value_or("");
    pairing.last_used = problem.take(entry.optional_string("last_used")).value_or("");
    pairing.preseeded = problem.take(entry.string("source")) == "config";
    if (problem) return problem.failure();
    return pairing;
}

// Each object of the array `name`, read by `read`.
template <typename T, typename Read>
Result<std::vector<T>> each(const ReceivedObject& parent, const char* name, Read read) {
    auto items = parent.objects(name);
    if (!items) return fail(items.error());
    std::vector<T> values;
    for (const auto& item : *items) {
        auto value = read(item);
        if (!value) return fail(value.error());
        values.push_back(std::move(*value));
    }
    return values;
}

}  // namespace

Result<FrameEnvelope> decode_envelope(std::string_view text) {
    auto frame = ReceivedObject::parse(text, "a frame from the adapter");
    if (!frame) return fail(frame.error());
    FirstProblem problem;
    const auto type = problem.take(frame->string("type"));
    auto id = problem.take(frame->optional_string("id"));
    if (problem) return problem.failure();
    FrameEnvelope envelope{ServerFrameType::other, id.value_or("")};
    for (const auto& [name, kind] : frame_types)
        if (type == name) envelope.type = kind;
    return envelope;
}

Result<Hello> decode_hello(std::string_view text) {
    auto frame = ReceivedObject::parse(text, "the hello frame");
    if (!frame) return fail(frame.error());
    if (auto checked = check_type(*frame, "the hello frame", "hello"); !checked) return fail(checked.error());
    auto product_name = frame->string("product");
    if (!product_name) return fail(product_name.error());
    if (*product_name != product)
        return invalid("the hello frame: 'product' is '" + *product_name + "', not '" + std::string(product) + "'");
    if (frame->has("auth"))
        return invalid("the hello frame: 'auth' is set: the adapter wants this client to authenticate first");
    FirstProblem problem;
    Hello hello;
    hello.adapter_version = problem.take(frame->string("version"));
    hello.epoch = problem.take(frame->string("epoch"));
    hello.driver = problem.take(driver_field(*frame, "driver"));
    // A capability this build does not know (a newer adapter's) is not a malformed hello.
    for (const auto& name : problem.take(frame->strings("capabilities")))
        for (auto capability : all_capabilities)
            if (to_string(capability) == name) hello.capabilities = hello.capabilities.with(capability);
    hello.not_ready_reasons = problem.take(frame->strings("not_ready_reasons"));
    if (problem) return problem.failure();
    return hello;
}

Result<SnapshotSummary> decode_snapshot(std::string_view text) {
    auto frame = ReceivedObject::parse(text, "the snapshot frame");
    if (!frame) return fail(frame.error());
    if (auto checked = check_type(*frame, "the snapshot frame", "snapshot"); !checked) return fail(checked.error());
    FirstProblem problem;
    SnapshotSummary snapshot;
    snapshot.epoch = problem.take(frame->string("epoch"));
    snapshot.seq = problem.take(frame->count("seq"));
    snapshot.calls = problem.take(each<CallSummary>(*frame, "calls", call_summary));
    if (problem) return problem.failure();
    return snapshot;
}

Result<std::optional<CallEventFrame>> decode_call_event(std::string_view text) {
    auto frame = ReceivedObject::parse(text, "an event frame");
    if (!frame) return fail(frame.error());
    if (auto checked = check_type(*frame, "an event frame", "event"); !checked) return fail(checked.error());
    auto name = frame->string("name");
    if (!name) return fail(name.error());
    std::optional<CallEventFrame> event;
    for (auto kind : call_event_kinds)
        if (call_event_name(kind) == *name) event = CallEventFrame{kind, {}, {}, {}};
    if (!event) return event;
    auto call = frame->object("call");
    if (!call) return fail(call.error());
    auto summary = call_summary(*call);
    if (!summary) return fail(summary.error());
    event->call = std::move(*summary);
    if (event->kind != CallReport::Kind::ended) return event;
    auto reason = frame->optional_string("reason");
    if (!reason) return fail(reason.error());
    if (*reason) {
        auto known = end_reason_field(*frame, "reason");
        if (!known) return fail(known.error());
        event->reason = *known;
    }
    auto detail = frame->string("detail");
    if (!detail) return fail(detail.error());
    event->detail = std::move(*detail);
    return event;
}

Result<CommandResult<StartedCall>> decode_started_call_result(std::string_view frame) {
    return decode_result<StartedCall>(frame, "dial or simulate", [](const ReceivedObject& data) -> Result<StartedCall> {
        auto call_id = data.optional_string("call_id");
        if (!call_id) return fail(call_id.error());
        return StartedCall{std::move(*call_id)};
    });
}

Result<CommandResult<PairingListing>> decode_pairing_list_result(std::string_view frame) {
    return decode_result<PairingListing>(frame, "pairing.list", [](const ReceivedObject& data) -> Result<PairingListing> {
        FirstProblem problem;
        PairingListing listing;
        listing.pending = problem.take(each<PendingPairing>(data, "pending", pending_pairing));
        listing.paired = problem.take(each<Pairing>(data, "paired", pairing_entry));
        if (problem) return problem.failure();
        return listing;
    });
}

Result<CommandResult<Revocation>> decode_revocation_result(std::string_view frame) {
    return decode_result<Revocation>(frame, "pairing.revoke", [](const ReceivedObject& data) -> Result<Revocation> {
        FirstProblem problem;
        Revocation revocation;
        revocation.revoked = problem.take(data.strings("revoked"));
        revocation.sessions_closed = problem.take(data.count("sessions_closed", SIZE_MAX));
        if (problem) return problem.failure();
        return revocation;
    });
}

}  // namespace cti::protocol
