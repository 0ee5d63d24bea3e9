#include "protocol/messages.hpp"

#include <algorithm>
#include <ctime>

namespace cti::protocol {
namespace {

using nlohmann::json;

Frame share(const json& frame) {
    // Invalid UTF-8 from a phone system (a caller name) is replaced, never thrown.
    return std::make_shared<const std::string>(frame.dump(-1, ' ', false, json::error_handler_t::replace));
}

json envelope(std::string_view type) { return json{{"v", version}, {"type", type}}; }

json optional_time(const std::optional<TimePoint>& time) {
    return time ? json(iso8601(*time)) : json(nullptr);
}

}  // namespace

std::string iso8601(TimePoint time) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch());
    // Floor division, so times before 1970 (a badly set clock) still format correctly.
    const auto whole_seconds = std::chrono::floor<std::chrono::seconds>(ms);
    const std::time_t seconds = static_cast<std::time_t>(whole_seconds.count());
    std::tm utc{};
#ifdef _WIN32
    gmtime_s(&utc, &seconds);  // the C runtime's thread-safe form (arguments swapped)
#else
    gmtime_r(&seconds, &utc);
#endif
    char text[48];
    const auto millis = static_cast<int>((ms - whole_seconds).count());
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                  utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, millis);
    return text;
}

json to_json(const Party& party) { return {{"number", party.number}, {"name", party.name}}; }

json to_json(const Call& call) {
    return {{"id", call.id},
            {"direction", to_string(call.direction)},
            {"state", to_string(call.state)},
            {"from", to_json(call.from)},
            {"to", to_json(call.to)},
            {"started_at", iso8601(call.started_at)},
            {"answered_at", optional_time(call.answered_at)},
            {"ended_at", optional_time(call.ended_at)},
            {"end_reason", call.end_reason ? json(to_string(*call.end_reason)) : json(nullptr)},
            {"end_detail", call.end_reason ? json(call.end_detail) : json(nullptr)},
            {"driver", call.driver}};
}

json to_json(const DriverInfo& driver) {
    return {{"name", driver.name},
            {"status", to_string(driver.status.state)},
            {"detail", driver.status.detail}};
}

json to_json(const Contact& contact) {
    return {{"id", contact.id},
            {"name", contact.name},
            {"numbers", contact.numbers},
            {"fields", contact.fields},
            {"source", contact.source}};
}

json screen_pop_fields(const ScreenPop& pop) {
    json matches = json::array();
    for (const auto& contact : pop.matches) matches.push_back(to_json(contact));
    json fields = json::array();
    for (const auto& [key, value] : pop.fields) fields.push_back({{"key", key}, {"value", value}});
    const auto count = pop.matches.size();
    return {{"call_id", pop.call.id},
            {"call_type", to_string(pop.call_type)},
            {"caller", to_json(pop.call.from)},
            {"called", to_json(pop.call.to)},
            {"call", to_json(pop.call)},
            {"number", pop.number.empty() ? json(nullptr) : json(pop.number)},
            {"match", count == 0 ? "none" : count == 1 ? "single" : "multiple"},
            {"matches", std::move(matches)},
            {"pop", {{"kind", to_string(pop.pop)}, {"url", pop.url.empty() ? json(nullptr) : json(pop.url)}}},
            {"fields", std::move(fields)}};
}

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
    return {{"epoch", snapshot.epoch},
            {"seq", snapshot.seq},
            {"driver", to_json(snapshot.driver)},
            {"calls", std::move(calls)},
            {"call_logs", snapshot.call_logs},
            {"agent", snapshot.agent},
            {"screen_pops", snapshot.screen_pops}};
}

Frame encode_snapshot(const Snapshot& snapshot, bool resync) {
    auto frame = envelope("snapshot");
    frame["resync"] = resync;
    frame.update(snapshot_body(snapshot));
    return share(frame);
}

Frame encode_event(std::uint64_t seq, std::string_view epoch, std::string_view name, json fields) {
    auto frame = envelope("event");
    frame["seq"] = seq;
    frame["epoch"] = epoch;
    frame["name"] = name;
    frame.update(fields);
    return share(frame);
}

Frame encode_result(const json& id, const json& data) {
    auto frame = envelope("result");
    frame["id"] = id;
    frame["ok"] = true;
    frame["data"] = data;
    return share(frame);
}

json command_result_body(const CommandReply& reply, std::string_view call_id) {
    auto data = json::object();
    if (!reply.sent_digits.empty()) data["sent"] = reply.sent_digits;
    if (!call_id.empty()) data["call_id"] = call_id;
    return data;
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

Frame encode_error_result(const json& id, std::string_view code, std::string_view message) {
    auto frame = envelope("result");
    frame["id"] = id;
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

json pairing_request_body(const PairingRequest& request, std::string_view approve_at,
                          std::int64_t expires_in_ms) {
    return {{"request_id", request.id},
            {"code", request.code},
            {"approve_at", approve_at},
            {"expires_in_ms", expires_in_ms}};
}

json pairing_list_body(const std::vector<PairingRequest>& pending, const std::vector<Pairing>& paired) {
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
    return {{"pending", std::move(requests)}, {"paired", std::move(pairings)}};
}

std::variant<Command, DecodeError> decode_command(std::string_view text) {
    json body;
    try {
        body = json::parse(text);
    } catch (const json::parse_error& error) {
        return DecodeError{true, "bad_json",
                           "the frame is not valid JSON (error at byte " +
                               std::to_string(error.byte) + ")",
                           nullptr};
    } catch (const json::out_of_range&) {
        // A number too large for a double (1e999) is valid JSON text that the parser refuses.
        return DecodeError{true, "bad_json", "the frame holds a number too large to represent",
                           nullptr};
    }
    if (!body.is_object())
        return DecodeError{true, "not_an_object",
                           std::string("a frame must be a JSON object, got ") + body.type_name(),
                           nullptr};
    json id = nullptr;
    if (auto it = body.find("id"); it != body.end()) {
        if (it->is_string() && !it->get_ref<const std::string&>().empty() &&
            it->get_ref<const std::string&>().size() <= 64)
            id = *it;
        else
            return DecodeError{false, "bad_request", "'id' must be a string of 1 to 64 characters",
                               nullptr};
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
    if (id.is_null())
        return DecodeError{false, "bad_request", "'id' is missing (a string of 1 to 64 characters)",
                           nullptr};
    return Command{type->get<std::string>(), std::move(id), std::move(body)};
}

std::variant<std::string, FieldError> string_field(const json& body, const char* name,
                                                   std::size_t max_length) {
    auto it = body.find(name);
    if (it == body.end()) return FieldError{std::string("'") + name + "' is missing"};
    if (!it->is_string())
        return FieldError{std::string("'") + name + "' must be a string, got " + it->type_name()};
    const auto& text = it->get_ref<const std::string&>();
    if (text.empty() || text.size() > max_length)
        return FieldError{std::string("'") + name + "' must be 1 to " +
                          std::to_string(max_length) + " characters"};
    return text;
}

}  // namespace cti::protocol
