#include "protocol/messages.hpp"

#include <algorithm>

namespace cti::protocol {
namespace {

using nlohmann::json;

Frame share(const json& frame) {
    // Invalid UTF-8 from a phone system (a caller name) is replaced, never thrown.
    return std::make_shared<const std::string>(frame.dump(-1, ' ', false, json::error_handler_t::replace));
}

json envelope(std::string_view type) { return json{{"v", version}, {"type", type}}; }

}  // namespace

Frame encode_hello(const Hello& hello) {
    auto frame = envelope("hello");
    json capabilities = json::array();
    for (auto capability : all_capabilities)
        if (hello.capabilities.has(capability)) capabilities.push_back(to_string(capability));
    frame["product"] = product;
    frame["version"] = hello.adapter_version;
    frame["protocol"] = version;
    frame["epoch"] = hello.epoch;
    frame["driver"] = to_json(hello.driver);
    frame["capabilities"] = std::move(capabilities);
    frame["not_ready_reasons"] = hello.not_ready_reasons;
    return share(frame);
}

json snapshot_body(const Snapshot& snapshot) {
    json calls = json::array();
    for (const auto& call : snapshot.calls) calls.push_back(to_json(call));
    json call_logs = json::array();
    for (const auto& record : snapshot.call_logs) call_logs.push_back(to_json(record));
    json screen_pops = json::array();
    for (const auto& pop : snapshot.screen_pops) screen_pops.push_back(screen_pop_fields(pop));
    return {{"epoch", snapshot.epoch},
            {"seq", snapshot.seq},
            {"driver", to_json(snapshot.driver)},
            {"calls", std::move(calls)},
            {"call_logs", std::move(call_logs)},
            {"agent", to_json(snapshot.agent)},
            {"screen_pops", std::move(screen_pops)}};
}

Frame encode_snapshot(const Snapshot& snapshot, bool resync) {
    auto frame = envelope("snapshot");
    frame["resync"] = resync;
    frame.update(snapshot_body(snapshot));
    return share(frame);
}

std::string_view call_event_name(CallReport::Kind kind) {
    switch (kind) {
        case CallReport::Kind::offered: return "call.ringing";
        case CallReport::Kind::dialing: return "call.dialing";
        case CallReport::Kind::connected: return "call.connected";
        case CallReport::Kind::held: return "call.held";
        case CallReport::Kind::resumed: return "call.resumed";
        case CallReport::Kind::ended: return "call.ended";
    }
    return "call.unknown";
}

namespace {

// Each kind of event: its name, and its fields written into the frame beside the envelope.
struct EventFields {
    json& frame;

    std::string_view operator()(const CallEvent& event) const {
        frame["call"] = to_json(event.call);
        if (event.kind == CallReport::Kind::ended) {
            const auto& call = event.call;
            frame["reason"] = call.end_reason ? json(to_string(*call.end_reason)) : json(nullptr);
            frame["detail"] = call.end_detail;
        }
        return call_event_name(event.kind);
    }
    std::string_view operator()(const ScreenPopEvent& event) const {
        frame.update(screen_pop_fields(event.pop));
        return "screen_pop";
    }
    std::string_view operator()(const AgentStateEvent& event) const {
        frame["agent"] = to_json(event.agent);
        return "agent.state";
    }
    std::string_view operator()(const CallLogEvent& event) const {
        frame["log"] = to_json(event.log);
        return "call_log";
    }
    std::string_view operator()(const CallLogSavedEvent& event) const {
        frame["log"] = to_json(event.log);
        return "call_log.saved";
    }
    std::string_view operator()(const DriverStatusEvent& event) const {
        frame["driver"] = to_json(event.driver);
        frame["status"] = to_string(event.driver.status.state);
        return "driver.status";
    }
};

}  // namespace

Frame encode_event(std::uint64_t seq, std::string_view epoch, const PageEvent& event) {
    auto frame = envelope("event");
    frame["seq"] = seq;
    frame["epoch"] = epoch;
    frame["name"] = std::visit(EventFields{frame}, event);
    return share(frame);
}

namespace {

json id_field(const RequestId& id) { return id.empty() ? json(nullptr) : json(id); }

}  // namespace

Frame encode_result(const RequestId& id, const json& data) {
    auto frame = envelope("result");
    frame["id"] = id_field(id);
    frame["ok"] = true;
    frame["data"] = data;
    return share(frame);
}

Frame encode_ping_result(const RequestId& id, TimePoint now) { return encode_result(id, {{"time", iso8601(now)}}); }

Frame encode_snapshot_result(const RequestId& id, const Snapshot& snapshot) {
    return encode_result(id, snapshot_body(snapshot));
}

Frame encode_call_log_result(const RequestId& id, const CallLogRecord& record) {
    return encode_result(id, {{"log", to_json(record)}});
}

Frame encode_history_result(const RequestId& id, const std::vector<CallLogRecord>& newest_first, bool more) {
    json logs = json::array();
    for (const auto& record : newest_first) logs.push_back(to_json(record));
    return encode_result(id, {{"logs", std::move(logs)},
                              {"next", more && !newest_first.empty() ? json(newest_first.back().cursor) : json(nullptr)}});
}

Frame encode_agent_state_result(const RequestId& id, const AgentState& agent) {
    return encode_result(id, {{"agent", to_json(agent)}});
}

Frame encode_resume_result(const RequestId& id, std::size_t replayed, bool resync) {
    return encode_result(id, {{"replayed", replayed}, {"resync", resync}});
}

Frame encode_empty_result(const RequestId& id) { return encode_result(id, json::object()); }

Frame encode_authenticated_result(const RequestId& id, std::string_view pairing_id) {
    return encode_result(id, {{"pairing_id", pairing_id}});
}

Frame encode_revocation_result(const RequestId& id, const std::vector<std::string>& revoked_ids,
                               std::size_t sessions_closed) {
    return encode_result(id, {{"revoked", revoked_ids}, {"sessions_closed", sessions_closed}});
}

Frame encode_command_result(const RequestId& id, const CommandReply& reply, std::string_view call_id) {
    auto data = json::object();
    if (!reply.sent_digits.empty()) data["sent"] = reply.sent_digits;
    if (!call_id.empty()) data["call_id"] = call_id;
    return encode_result(id, data);
}

std::string_view command_error_code(ErrorKind kind) {
    switch (kind) {
        case ErrorKind::invalid_input: return "bad_request";
        case ErrorKind::not_found: return "no_such_call";
        case ErrorKind::invalid_state: return "invalid_state";
        case ErrorKind::unsupported: return "unsupported";
        case ErrorKind::unavailable: return "driver_unavailable";
        case ErrorKind::refused:
        case ErrorKind::failed: return "driver_error";
    }
    return "driver_error";
}

Frame encode_error_result(const RequestId& id, std::string_view code, std::string_view message) {
    auto frame = envelope("result");
    frame["id"] = id_field(id);
    frame["ok"] = false;
    frame["error"] = {{"code", code}, {"message", message}};
    return share(frame);
}

Frame encode_frame_error(std::string_view code, std::string_view message) {
    auto frame = envelope("error");
    frame["error"] = {{"code", code}, {"message", message}};
    return share(frame);
}

Frame encode_hello_auth_required(std::string_view adapter_version) {
    auto frame = envelope("hello");
    frame["product"] = product;
    frame["version"] = adapter_version;
    frame["protocol"] = version;
    frame["auth"] = "required";
    return share(frame);
}

Frame encode_paired(std::string_view token) {
    auto frame = envelope("paired");
    frame["token"] = token;
    return share(frame);
}

Frame encode_pairing_failed(std::string_view reason) {
    auto frame = envelope("pairing_failed");
    frame["reason"] = reason;
    return share(frame);
}

Frame encode_pairing_request_result(const RequestId& id, const PairingRequest& request,
                                    std::string_view approve_at, std::int64_t expires_in_ms) {
    return encode_result(id, {{"request_id", request.id},
                              {"code", request.code},
                              {"approve_at", approve_at},
                              {"expires_in_ms", expires_in_ms}});
}

Frame encode_pairing_list_result(const RequestId& id, const std::vector<PairingRequest>& pending,
                                 const std::vector<Pairing>& paired) {
    const auto now = std::chrono::steady_clock::now();
    json requests = json::array();
    for (const auto& request : pending) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(request.expires - now);
        requests.push_back({{"id", request.id},
                            {"origin", request.origin},
                            {"name", request.name},
                            {"code", request.code},
                            {"expires_in_ms", std::max<std::int64_t>(0, left.count())}});
    }
    json pairings = json::array();
    for (const auto& pairing : paired)
        pairings.push_back({{"id", pairing.id},
                            {"origin", pairing.origin},
                            {"name", pairing.name},
                            {"created", pairing.created.empty() ? json(nullptr) : json(pairing.created)},
                            {"last_used", pairing.last_used.empty() ? json(nullptr) : json(pairing.last_used)},
                            {"source", pairing.preseeded ? "config" : "paired"}});
    return encode_result(id, {{"pending", std::move(requests)}, {"paired", std::move(pairings)}});
}

std::variant<Command, DecodeError> decode_command(std::string_view text) {
    json body;
    try {
        body = json::parse(text);
    } catch (const json::parse_error& error) {
        return DecodeError{true, "bad_json",
                           "the frame is not valid JSON (error at byte " +
                               std::to_string(error.byte) + ")",
                           {}};
    } catch (const json::out_of_range&) {
        // A number too large for a double (1e999) is valid JSON text that the parser refuses.
        return DecodeError{true, "bad_json", "the frame holds a number too large to represent",
                           {}};
    }
    if (!body.is_object())
        return DecodeError{true, "not_an_object",
                           std::string("a frame must be a JSON object, got ") + body.type_name(),
                           {}};
    RequestId id;
    if (auto it = body.find("id"); it != body.end()) {
        if (it->is_string() && !it->get_ref<const std::string&>().empty() &&
            it->get_ref<const std::string&>().size() <= 64)
            id = it->get<std::string>();
        else
            return DecodeError{false, "bad_request", "'id' must be a string of 1 to 64 characters",
                               {}};
    }
    auto type = body.find("type");
    if (type == body.end() || !type->is_string())
        return DecodeError{false, "bad_request", "'type' is missing or not a string", id};
    auto v = body.find("v");
    if (v == body.end())
        return DecodeError{false, "bad_request", "'v' is missing (the protocol version, 1)", id};
    if (!v->is_number_integer() || v->get<std::int64_t>() != version)
        return DecodeError{false, "unsupported_version",
                           "'v' must be 1; this adapter speaks protocol version 1", id};
    if (id.empty())
        return DecodeError{false, "bad_request", "'id' is missing (a string of 1 to 64 characters)",
                           {}};
    return Command{type->get<std::string>(), std::move(id), std::move(body)};
}

}  // namespace cti::protocol
