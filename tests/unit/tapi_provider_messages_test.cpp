// The wire protocol between the tapi driver and the emulated provider, and the tapi.h values.
#include <catch2/catch.hpp>

#include "tapi/provider_messages.hpp"

using namespace cti;
using namespace cti::tapi;
using nlohmann::json;

namespace {

std::string problem_of(const std::string& line) {
    auto parsed = parse_provider_message(line);
    CHECK_FALSE(parsed.message);
    return parsed.problem;
}

template <typename T>
T message_of(const std::string& line) {
    auto parsed = parse_provider_message(line);
    INFO(parsed.problem);
    REQUIRE(parsed.message);
    REQUIRE(std::holds_alternative<T>(*parsed.message));
    return std::get<T>(*parsed.message);
}

std::string operation_problem(const json& object) {
    auto parsed = parse_operation(object);
    CHECK_FALSE(parsed.operation);
    return parsed.problem;
}

}  // namespace

TEST_CASE("tapi constants: the numeric values of tapi.h", "[tapi]") {
    CHECK(value_of(LineCallState::idle) == 0x00000001);
    CHECK(value_of(LineCallState::offering) == 0x00000002);
    CHECK(value_of(LineCallState::accepted) == 0x00000004);
    CHECK(value_of(LineCallState::dialtone) == 0x00000008);
    CHECK(value_of(LineCallState::dialing) == 0x00000010);
    CHECK(value_of(LineCallState::ringback) == 0x00000020);
    CHECK(value_of(LineCallState::busy) == 0x00000040);
    CHECK(value_of(LineCallState::connected) == 0x00000100);
    CHECK(value_of(LineCallState::proceeding) == 0x00000200);
    CHECK(value_of(LineCallState::onhold) == 0x00000400);
    CHECK(value_of(LineCallState::conferenced) == 0x00000800);
    CHECK(value_of(LineCallState::onholdpendtransfer) == 0x00002000);
    CHECK(value_of(LineCallState::disconnected) == 0x00004000);
    CHECK(value_of(DisconnectMode::normal) == 0x00000001);
    CHECK(value_of(DisconnectMode::reject) == 0x00000004);
    CHECK(value_of(DisconnectMode::pickup) == 0x00000008);
    CHECK(value_of(DisconnectMode::busy) == 0x00000020);
    CHECK(value_of(DisconnectMode::noanswer) == 0x00000040);
    CHECK(value_of(DisconnectMode::cancelled) == 0x00080000);
    CHECK(value_of(CallOrigin::inbound) == 0x00000080);
}

TEST_CASE("tapi constants: names and values convert both ways", "[tapi]") {
    for (auto state : all_line_call_states) {
        CHECK(line_call_state_from(value_of(state)) == state);
        CHECK(line_call_state_named(to_string(state)) == state);
        CHECK(line_call_state_named(to_string(state).substr(14)) ==
              state);  // without LINECALLSTATE_
    }
    for (auto mode : all_disconnect_modes) {
        CHECK(disconnect_mode_from(value_of(mode)) == mode);
        CHECK(disconnect_mode_named(to_string(mode)) == mode);
        CHECK(disconnect_mode_named(to_string(mode).substr(19)) == mode);
    }
    CHECK_FALSE(line_call_state_from(0));
    CHECK_FALSE(line_call_state_from(0x3));
    CHECK_FALSE(disconnect_mode_from(0x00400000));
    CHECK_FALSE(line_call_state_named("offering"));
    CHECK_FALSE(disconnect_mode_named(""));
}

TEST_CASE("tapi messages: what the provider sends round-trips", "[tapi]") {
    LineCallStateChange change;
    change.call = "c7";
    change.state = LineCallState::disconnected;
    change.mode = value_of(DisconnectMode::busy);
    change.origin = CallOrigin::outbound;
    change.caller = {"1001", "Agent"};
    change.called = {"+4930123", ""};
    auto decoded = message_of<LineCallStateChange>(encode(change));
    CHECK(decoded.call == "c7");
    CHECK(decoded.state == LineCallState::disconnected);
    CHECK(decoded.mode == value_of(DisconnectMode::busy));
    CHECK(decoded.origin == CallOrigin::outbound);
    CHECK(decoded.caller == change.caller);
    CHECK(decoded.called == change.called);

    auto reply = message_of<LineReply>(encode(LineReply{42, lineerr_invalcallstate, "not now"}));
    CHECK(reply.request_id == 42);
    CHECK(reply.result == lineerr_invalcallstate);
    CHECK(reply.error == "not now");

    auto init = message_of<ProviderInit>(encode(ProviderInit{{"1001", "Agent"}, "", {}, {}}));
    CHECK(init.line == Party{"1001", "Agent"});
}

TEST_CASE("tapi provider messages: PROVIDER_INIT lists the calls on the line", "[tapi]") {
    LineCallStateChange held;
    held.call = "c4";
    held.state = LineCallState::onhold;
    held.origin = CallOrigin::external;
    held.caller = {"5551234", "Alice"};
    held.called = {"1001", "Agent"};
    auto init = message_of<ProviderInit>(encode(ProviderInit{{"1001", "Agent"}, "42-7", {held}, {}}));
    CHECK(init.instance == "42-7");
    REQUIRE(init.calls.size() == 1);
    CHECK(init.calls[0].call == "c4");
    CHECK(init.calls[0].state == LineCallState::onhold);
    CHECK(init.calls[0].caller == Party{"5551234", "Alice"});

    // A bad entry is skipped and named; the others and the line are still read.
    auto mixed = message_of<ProviderInit>(
        R"({"msg":"PROVIDER_INIT","line":{"number":"1001"},"calls":[7,{"hCall":"c1","dwCallState":3},)"
        R"({"hCall":"c2","dwCallState":2,"callerID":{"number":"555"},"calledID":{"number":"1001"}}]})");
    REQUIRE(mixed.calls.size() == 1);
    CHECK(mixed.calls[0].call == "c2");
    REQUIRE(mixed.skipped.size() == 2);
    CHECK_THAT(mixed.skipped[1], Catch::Contains("dwCallState"));
    CHECK(parse_provider_message(R"({"msg":"PROVIDER_INIT","line":{"number":"1001"},"calls":{}})").problem ==
          "PROVIDER_INIT: 'calls' must be an array");
}

TEST_CASE(
    "tapi messages: absent caller and called IDs are empty, CONTROL_REPLY is not for the driver",
    "[tapi]") {
    auto change =
        message_of<LineCallStateChange>(R"({"msg":"LINE_CALLSTATE","hCall":"x","dwCallState":2})");
    CHECK(change.caller == Party{});
    CHECK(change.mode == 0);
    auto control = parse_provider_message(R"({"msg":"CONTROL_REPLY","ok":true})");
    CHECK_FALSE(control.message);
    CHECK(control.problem.empty());
}

TEST_CASE("tapi messages: malformed provider messages are skipped with the reason", "[tapi]") {
    CHECK(problem_of("") == "not a JSON object");
    CHECK(problem_of("{\"msg\":\"LINE_CALLSTATE\"") == "not a JSON object");
    CHECK(problem_of("[1,2]") == "not a JSON object");
    CHECK(problem_of("\"LINE_CALLSTATE\"") == "not a JSON object");
    CHECK(problem_of("{}") == "'msg' is missing");
    CHECK(problem_of(R"({"msg":7})") == "'msg' is missing");
    CHECK_THAT(problem_of(R"({"msg":"LINE_DEVSPECIFIC"})"),
               Catch::Contains("unknown message 'LINE_DEVSPECIFIC'"));
    CHECK_THAT(problem_of(R"({"msg":"LINE_CALLSTATE","dwCallState":2})"),
               Catch::Contains("'hCall'"));
    CHECK_THAT(problem_of(R"({"msg":"LINE_CALLSTATE","hCall":"","dwCallState":2})"),
               Catch::Contains("'hCall'"));
    CHECK_THAT(problem_of(R"({"msg":"LINE_CALLSTATE","hCall":3,"dwCallState":2})"),
               Catch::Contains("'hCall'"));
    CHECK_THAT(problem_of(R"({"msg":"LINE_CALLSTATE","hCall":"x"})"),
               Catch::Contains("'dwCallState'"));
    CHECK_THAT(problem_of(R"({"msg":"LINE_CALLSTATE","hCall":"x","dwCallState":"2"})"),
               Catch::Contains("'dwCallState'"));
    CHECK_THAT(problem_of(R"({"msg":"LINE_CALLSTATE","hCall":"x","dwCallState":-2})"),
               Catch::Contains("'dwCallState'"));
    CHECK_THAT(problem_of(R"({"msg":"LINE_CALLSTATE","hCall":"x","dwCallState":3})"),
               Catch::Contains("no LINECALLSTATE_* value"));
    CHECK_THAT(problem_of(R"({"msg":"LINE_CALLSTATE","hCall":"x","dwCallState":4294967298})"),
               Catch::Contains("'dwCallState'"));
    CHECK_THAT(
        problem_of(
            R"({"msg":"LINE_CALLSTATE","hCall":"x","dwCallState":2,"callerID":{"number":"1;evil"}})"),
        Catch::Contains("callerID"));
    CHECK_THAT(
        problem_of(R"({"msg":"LINE_CALLSTATE","hCall":"x","dwCallState":2,"calledID":"1001"})"),
        Catch::Contains("calledID"));
    CHECK_THAT(problem_of(R"({"msg":"LINE_REPLY","lResult":0})"), Catch::Contains("'dwRequestID'"));
    CHECK_THAT(problem_of(R"({"msg":"LINE_REPLY","dwRequestID":1})"), Catch::Contains("'lResult'"));
    CHECK_THAT(problem_of(R"({"msg":"PROVIDER_INIT","line":[]})"), Catch::Contains("'line'"));
}

TEST_CASE("tapi messages: line operations round-trip", "[tapi]") {
    using Kind = LineOperation::Kind;
    for (auto kind : {Kind::make_call, Kind::answer, Kind::drop, Kind::hold, Kind::unhold,
                      Kind::blind_transfer, Kind::generate_digits}) {
        LineOperation operation;
        operation.kind = kind;
        operation.request_id = 9;
        operation.call = "c1";
        if (kind == Kind::make_call || kind == Kind::blind_transfer) operation.dest = "5551234";
        if (kind == Kind::generate_digits) operation.digits = "12#A";
        auto text = encode(operation);
        INFO(text);
        CHECK(json::parse(text)["op"] == operation_name(kind));
        auto parsed = parse_operation(json::parse(text));
        REQUIRE(parsed.operation);
        CHECK(parsed.operation->kind == kind);
        CHECK(parsed.operation->request_id == 9);
        CHECK(parsed.operation->call == "c1");
        CHECK(parsed.operation->dest == operation.dest);
        CHECK(parsed.operation->digits == operation.digits);
    }
}

TEST_CASE("tapi messages: malformed line operations name the field", "[tapi]") {
    CHECK_THAT(operation_problem({{"op", "lineRedirect"}, {"dwRequestID", 1}, {"hCall", "c"}}),
               Catch::Contains("unknown operation"));
    CHECK_THAT(operation_problem({{"op", 5}}), Catch::Contains("'op'"));
    CHECK_THAT(operation_problem({{"op", "lineAnswer"}, {"hCall", "c"}}),
               Catch::Contains("'dwRequestID'"));
    CHECK_THAT(operation_problem({{"op", "lineAnswer"}, {"dwRequestID", -1}, {"hCall", "c"}}),
               Catch::Contains("'dwRequestID'"));
    CHECK_THAT(operation_problem({{"op", "lineAnswer"}, {"dwRequestID", 1}}),
               Catch::Contains("'hCall'"));
    CHECK_THAT(operation_problem({{"op", "lineMakeCall"}, {"dwRequestID", 1}, {"hCall", "c"}}),
               Catch::Contains("'dest'"));
    CHECK_THAT(
        operation_problem(
            {{"op", "lineBlindTransfer"}, {"dwRequestID", 1}, {"hCall", "c"}, {"dest", "sip:x@y"}}),
        Catch::Contains("'dest'"));
    CHECK_THAT(
        operation_problem(
            {{"op", "lineGenerateDigits"}, {"dwRequestID", 1}, {"hCall", "c"}, {"digits", "12E"}}),
        Catch::Contains("'digits'"));
}
