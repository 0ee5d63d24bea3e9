// The frames the command line receives, read into types (protocol/client_frames): every decoder
// against what the adapter's own encoders write, and against frames it must refuse.
#include <catch2/catch.hpp>

#include <chrono>
#include <string>

#include "protocol/client_frames.hpp"
#include "protocol/messages.hpp"
#include "support/result_checks.hpp"

namespace protocol = cti::protocol;
using Catch::Matchers::Contains;
using cti::test::error_message;

namespace {

// A call ringing in from Ada, as the call table holds it.
cti::Call ringing_call() {
    return {"5f3c9a0e-3", cti::Direction::inbound, cti::CallState::ringing, {"+14155550123", "Ada Lovelace"},
            {"+442071234567", ""}, {}, {}, {}, {}, "", "simulator"};
}

cti::Call ended_call(cti::EndReason reason, std::string detail) {
    auto call = ringing_call();
    call.direction = cti::Direction::outbound;
    call.state = cti::CallState::ended;
    call.end_reason = reason;
    call.end_detail = std::move(detail);
    return call;
}

protocol::Hello known_hello() {
    protocol::Hello hello;
    hello.adapter_version = "0.1.0";
    hello.epoch = "5f3c9a0e12ab77d4";
    hello.driver = {"simulator", {cti::DriverState::connected, "line 1001"}};
    hello.capabilities = {cti::Capability::dial, cti::Capability::answer, cti::Capability::simulate};
    hello.not_ready_reasons = {"Lunch", "Coaching"};
    return hello;
}

std::string event_frame(const cti::PageEvent& event) { return *protocol::encode_event(9, "5f3c9a0e12ab77d4", event); }

}  // namespace

TEST_CASE("client frames: the envelope says the type and the id of a result", "[protocol][client]") {
    const auto result = protocol::decode_envelope(*protocol::encode_empty_result("cli-7"));
    REQUIRE(result);
    CHECK(result->type == protocol::ServerFrameType::result);
    CHECK(result->id == "cli-7");
    CHECK(protocol::decode_envelope(*protocol::encode_hello(known_hello()))->type == protocol::ServerFrameType::hello);
    CHECK(protocol::decode_envelope(event_frame(cti::AgentStateEvent{}))->type == protocol::ServerFrameType::event);
    const auto error = protocol::decode_envelope(*protocol::encode_frame_error("bad_json", "not JSON"));
    REQUIRE(error);
    CHECK(error->type == protocol::ServerFrameType::error);
    CHECK(error->id.empty());
    CHECK(protocol::decode_envelope(*protocol::encode_paired("t"))->type == protocol::ServerFrameType::other);
    // A result whose id the adapter could not read says "id": null.
    CHECK(protocol::decode_envelope(*protocol::encode_error_result("", "bad_request", "no id"))->id.empty());

    CHECK_THAT(error_message(protocol::decode_envelope("HTTP/1.1 200 OK")), Contains("not valid JSON"));
    CHECK_THAT(error_message(protocol::decode_envelope(R"({"v":1})")), Contains("'type' is missing"));
    CHECK_THAT(error_message(protocol::decode_envelope(R"({"type":"result","id":7})")),
               Contains("'id' must be a string or null, got number"));
}

TEST_CASE("client frames: a hello reads back as the adapter wrote it", "[protocol][client]") {
    const auto hello = protocol::decode_hello(*protocol::encode_hello(known_hello()));
    REQUIRE(hello);
    CHECK(hello->adapter_version == "0.1.0");
    CHECK(hello->epoch == "5f3c9a0e12ab77d4");
    CHECK(hello->driver.name == "simulator");
    CHECK(hello->driver.status.state == cti::DriverState::connected);
    CHECK(hello->driver.status.detail == "line 1001");
    CHECK(hello->capabilities.bits() == known_hello().capabilities.bits());
    CHECK(hello->not_ready_reasons == std::vector<std::string>{"Lunch", "Coaching"});
}

TEST_CASE("client frames: a capability this build does not know does not spoil the hello", "[protocol][client]") {
    const auto hello = protocol::decode_hello(
        R"({"v":1,"type":"hello","product":"cti-adapter","version":"9.0","protocol":1,"epoch":"e",)"
        R"("driver":{"name":"x","status":"connecting","detail":""},"capabilities":["dial","teleport"],)"
        R"("not_ready_reasons":[]})");
    REQUIRE(hello);
    CHECK(hello->capabilities.bits() == cti::Capabilities{cti::Capability::dial}.bits());
}

TEST_CASE("client frames: what is not a cti-adapter's full hello is an Error", "[protocol][client]") {
    CHECK_THAT(error_message(protocol::decode_hello("SSH-2.0-OpenSSH_9.2")), Contains("the hello frame: not valid JSON"));
    CHECK_THAT(error_message(protocol::decode_hello(R"({"type":"hello","product":"other-thing"})")),
               Contains("'product' is 'other-thing', not 'cti-adapter'"));
    CHECK_THAT(error_message(protocol::decode_hello(*protocol::encode_empty_result("1"))),
               Contains("'type' is 'result', not 'hello'"));
    CHECK_THAT(error_message(protocol::decode_hello(*protocol::encode_hello_auth_required("0.1.0"))),
               Contains("'auth'"));
    auto wrong_reasons = *protocol::encode_hello(known_hello());
    wrong_reasons.replace(wrong_reasons.find(R"(["Lunch")"), 1, "[1,");
    CHECK_THAT(error_message(protocol::decode_hello(wrong_reasons)),
               Contains("'not_ready_reasons[0]' must be a string, got number"));
}

TEST_CASE("client frames: a snapshot gives the calls that are up", "[protocol][client]") {
    protocol::Snapshot snapshot;
    snapshot.epoch = "5f3c9a0e12ab77d4";
    snapshot.seq = 41;
    snapshot.driver = {"simulator", {cti::DriverState::connected, ""}};
    snapshot.calls = {ringing_call()};
    const auto summary = protocol::decode_snapshot(*protocol::encode_snapshot(snapshot, false));
    REQUIRE(summary);
    CHECK(summary->epoch == "5f3c9a0e12ab77d4");
    CHECK(summary->seq == 41);
    REQUIRE(summary->calls.size() == 1);
    const auto& call = summary->calls[0];
    CHECK(call.id == "5f3c9a0e-3");
    CHECK(call.direction == cti::Direction::inbound);
    CHECK(call.state == cti::CallState::ringing);
    CHECK(call.from == cti::Party{"+14155550123", "Ada Lovelace"});
    CHECK(call.to == cti::Party{"+442071234567", ""});
}

TEST_CASE("client frames: a malformed snapshot is an Error naming the field", "[protocol][client]") {
    const std::string head = R"({"v":1,"type":"snapshot","epoch":"e","seq":1,)";
    CHECK_THAT(error_message(protocol::decode_snapshot(head + R"("calls":{}})")),
               Contains("the snapshot frame: 'calls' must be an array of objects, got object"));
    CHECK_THAT(error_message(protocol::decode_snapshot(head + R"("calls":["c-1"]})")),
               Contains("'calls[0]' must be an object, got string"));
    CHECK_THAT(error_message(protocol::decode_snapshot(
                   head + R"("calls":[{"id":"c-1","direction":"inbound","state":"ringing","from":{"number":1,"name":""},)"
                          R"("to":{"number":"2","name":""}}]})")),
               Contains("'calls[0].from.number' must be a string, got number"));
    CHECK_THAT(error_message(protocol::decode_snapshot(
                   head + R"("calls":[{"id":"c-1","direction":"sideways","state":"ringing"}]})")),
               Contains("'calls[0].direction' is 'sideways'"));
    CHECK_THAT(error_message(protocol::decode_snapshot(R"({"v":1,"type":"snapshot","epoch":"e","calls":[]})")),
               Contains("'seq' is missing"));
}

TEST_CASE("client frames: a call's events read with their kind reason and detail", "[protocol][client]") {
    const auto connected = protocol::decode_call_event(
        event_frame(cti::CallEvent{cti::CallReport::Kind::connected, ringing_call()}));
    REQUIRE(connected);
    REQUIRE(*connected);
    CHECK((*connected)->kind == cti::CallReport::Kind::connected);
    CHECK((*connected)->call.id == "5f3c9a0e-3");
    CHECK_FALSE((*connected)->reason);

    const auto ended = protocol::decode_call_event(event_frame(
        cti::CallEvent{cti::CallReport::Kind::ended, ended_call(cti::EndReason::busy, "486 Busy Here")}));
    REQUIRE(ended);
    REQUIRE(*ended);
    CHECK((*ended)->kind == cti::CallReport::Kind::ended);
    CHECK((*ended)->call.state == cti::CallState::ended);
    CHECK((*ended)->reason == cti::EndReason::busy);
    CHECK((*ended)->detail == "486 Busy Here");

    auto unexplained = ended_call(cti::EndReason::normal, "");
    unexplained.end_reason.reset();
    const auto without_reason =
        protocol::decode_call_event(event_frame(cti::CallEvent{cti::CallReport::Kind::ended, unexplained}));
    REQUIRE(without_reason);
    REQUIRE(*without_reason);
    CHECK_FALSE((*without_reason)->reason);
}

TEST_CASE("client frames: an event that is not a call's decodes as none", "[protocol][client]") {
    const auto agent = protocol::decode_call_event(event_frame(cti::AgentStateEvent{}));
    REQUIRE(agent);
    CHECK_FALSE(*agent);
    const auto driver = protocol::decode_call_event(event_frame(cti::DriverStatusEvent{}));
    REQUIRE(driver);
    CHECK_FALSE(*driver);
}

TEST_CASE("client frames: a malformed call event is an Error naming the field", "[protocol][client]") {
    auto ended = event_frame(cti::CallEvent{cti::CallReport::Kind::ended, ended_call(cti::EndReason::busy, "")});
    auto replaced = [&](const std::string& from, const std::string& to) {
        auto frame = ended;
        const auto at = frame.find(from);
        REQUIRE(at != std::string::npos);
        return frame.replace(at, from.size(), to);
    };
    CHECK_THAT(error_message(protocol::decode_call_event(replaced(R"("reason":"busy")", R"("reason":"bored")"))),
               Contains("an event frame: 'reason' is 'bored'"));
    CHECK_THAT(error_message(protocol::decode_call_event(replaced(R"("detail":"")", R"("detail":5)"))),
               Contains("'detail' must be a string, got number"));
    CHECK_THAT(error_message(protocol::decode_call_event(R"({"v":1,"type":"event","name":"call.held"})")),
               Contains("'call' is missing"));
    CHECK_THAT(error_message(protocol::decode_call_event(R"({"v":1,"type":"event","name":"call.held","call":[]})")),
               Contains("'call' must be an object, got array"));
    CHECK_THAT(error_message(protocol::decode_call_event(R"({"v":1,"type":"result"})")),
               Contains("'type' is 'result', not 'event'"));
}

TEST_CASE("client frames: a command's result gives the call it started", "[protocol][client]") {
    const auto started = protocol::decode_started_call_result(*protocol::encode_command_result("cli-1", {}, "c-1"));
    REQUIRE(started);
    CHECK(started->id == "cli-1");
    CHECK_FALSE(started->error);
    CHECK(started->data.call_id == "c-1");

    const auto no_call = protocol::decode_started_call_result(*protocol::encode_empty_result("cli-2"));
    REQUIRE(no_call);
    CHECK_FALSE(no_call->data.call_id);
}

TEST_CASE("client frames: a refused command gives the adapter's code and message", "[protocol][client]") {
    const auto refused = protocol::decode_started_call_result(
        *protocol::encode_error_result("cli-1", "invalid_number", "'to' is not a dial string"));
    REQUIRE(refused);
    CHECK(refused->id == "cli-1");
    REQUIRE(refused->error);
    CHECK(refused->error->code == "invalid_number");
    CHECK(refused->error->message == "'to' is not a dial string");

    const auto frame_error = protocol::decode_started_call_result(*protocol::encode_frame_error("bad_json", "oops"));
    REQUIRE(frame_error);
    REQUIRE(frame_error->error);
    CHECK(frame_error->error->code == "bad_json");
}

TEST_CASE("client frames: a malformed result is an Error naming the field", "[protocol][client]") {
    CHECK_THAT(error_message(protocol::decode_started_call_result("")), Contains("not valid JSON"));
    CHECK_THAT(error_message(protocol::decode_started_call_result(R"({"v":1,"type":"result","id":"1","data":{}})")),
               Contains("'ok' is missing"));
    CHECK_THAT(error_message(protocol::decode_started_call_result(R"({"v":1,"type":"result","id":"1","ok":false})")),
               Contains("'error' is missing"));
    CHECK_THAT(error_message(protocol::decode_started_call_result(
                   R"({"v":1,"type":"result","id":"1","ok":false,"error":{"code":"x"}})")),
               Contains("'error.message' is missing"));
    CHECK_THAT(error_message(protocol::decode_started_call_result(
                   R"({"v":1,"type":"result","id":"1","ok":true,"data":{"call_id":7}})")),
               Contains("'data.call_id' must be a string or null, got number"));
    CHECK_THAT(error_message(protocol::decode_started_call_result(R"({"v":1,"type":"result","id":"1","ok":true})")),
               Contains("'data' is missing"));
}

TEST_CASE("client frames: the pairing listing reads back as the adapter wrote it", "[protocol][client][pairing]") {
    cti::PairingRequest request{"r1", "https://a.example", "Support desk", "123456",
                                std::chrono::steady_clock::now() + std::chrono::minutes(2), {}};
    cti::Pairing paired{"p1", "https://crm.example", "CRM", "ab12", "2026-11-21T09:00:00Z", "", false};
    cti::Pairing preseeded{"p2", "https://b.example", "B", "cd34", "", "2026-11-22T10:05:00Z", true};
    const auto listing = protocol::decode_pairing_list_result(
        *protocol::encode_pairing_list_result("cli-1", {request}, {paired, preseeded}));
    REQUIRE(listing);
    REQUIRE(listing->data.pending.size() == 1);
    const auto& pending = listing->data.pending[0];
    CHECK(pending.id == "r1");
    CHECK(pending.origin == "https://a.example");
    CHECK(pending.name == "Support desk");
    CHECK(pending.code == "123456");
    CHECK(pending.expires_in_ms > 60'000);
    REQUIRE(listing->data.paired.size() == 2);
    const auto& first = listing->data.paired[0];
    CHECK(first.id == "p1");
    CHECK(first.origin == "https://crm.example");
    CHECK(first.name == "CRM");
    CHECK(first.token_sha256.empty());  // never on the wire
    CHECK(first.created == "2026-11-21T09:00:00Z");
    CHECK(first.last_used.empty());
    CHECK_FALSE(first.preseeded);
    const auto& second = listing->data.paired[1];
    CHECK(second.created.empty());
    CHECK(second.last_used == "2026-11-22T10:05:00Z");
    CHECK(second.preseeded);
}

TEST_CASE("client frames: a malformed pairing listing is an Error naming the entry", "[protocol][client][pairing]") {
    const std::string head = R"({"v":1,"type":"result","id":"1","ok":true,"data":)";
    CHECK_THAT(error_message(protocol::decode_pairing_list_result(head + R"({"pending":[]}})")),
               Contains("the result of pairing.list: 'data.paired' is missing"));
    CHECK_THAT(error_message(protocol::decode_pairing_list_result(
                   head + R"({"pending":[],"paired":[{"id":"p1","origin":"o","name":3}]}})")),
               Contains("'data.paired[0].name' must be a string, got number"));
    CHECK_THAT(error_message(protocol::decode_pairing_list_result(
                   head + R"({"pending":[{"id":"r1","origin":"o","name":"n","code":"1"}],"paired":[]}})")),
               Contains("'data.pending[0].expires_in_ms' is missing"));
}

TEST_CASE("client frames: a revocation reads back as the adapter wrote it", "[protocol][client][pairing]") {
    const auto revocation =
        protocol::decode_revocation_result(*protocol::encode_revocation_result("cli-1", {"p1", "p2"}, 3));
    REQUIRE(revocation);
    CHECK(revocation->data.revoked == std::vector<std::string>{"p1", "p2"});
    CHECK(revocation->data.sessions_closed == 3);

    const std::string head = R"({"v":1,"type":"result","id":"1","ok":true,"data":)";
    CHECK_THAT(error_message(protocol::decode_revocation_result(head + R"({"revoked":[],"sessions_closed":-1}})")),
               Contains("the result of pairing.revoke: 'data.sessions_closed' must be an integer"));
    CHECK_THAT(error_message(protocol::decode_revocation_result(head + R"({"revoked":"p1","sessions_closed":0}})")),
               Contains("'data.revoked' must be an array of strings, got string"));
}
