// Decoding ctrl_tcp messages (exact frames seen from baresip 1.0.0) and reading menu output.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "settings/settings_json.hpp"
#include "baresip/baresip_settings.hpp"
#include "baresip/ctrl_message.hpp"
#include "baresip/menu_output.hpp"

using namespace cti::baresip;

TEST_CASE("baresip ctrl message: an incoming call event", "[baresip]") {
    auto message = decode_ctrl_message(
        R"({"event":true,"type":"CALL_INCOMING","class":"call","accountaor":"sip:bob@127.0.0.1:5062","direction":"incoming","peeruri":"sip:5551234@127.0.0.1:5070","peerdisplayname":"Alice Caller","id":"1-13692@127.0.0.1","param":"sip:5551234@127.0.0.1:5070"})");
    auto* event = std::get_if<CtrlEvent>(&message);
    REQUIRE(event);
    CHECK(event->type == "CALL_INCOMING");
    CHECK(event->event_class == "call");
    CHECK(event->direction == "incoming");
    CHECK(event->id == "1-13692@127.0.0.1");
    CHECK(event->peer_uri == "sip:5551234@127.0.0.1:5070");
    CHECK(event->peer_display_name == "Alice Caller");
    CHECK(event->account_aor == "sip:bob@127.0.0.1:5062");
}

TEST_CASE("baresip ctrl message: responses, with and without token", "[baresip]") {
    auto message = decode_ctrl_message(R"({"response":true,"ok":false,"data":"command not found (dial)\n","token":"cti-3"})");
    auto* response = std::get_if<CtrlResponse>(&message);
    REQUIRE(response);
    CHECK_FALSE(response->ok);
    CHECK(response->token == "cti-3");
    auto untokened = decode_ctrl_message(R"({"response":true,"ok":true,"data":""})");
    REQUIRE(std::get_if<CtrlResponse>(&untokened));
    CHECK(std::get<CtrlResponse>(untokened).token.empty());
}

TEST_CASE("baresip ctrl message: bad input is an unknown message, never an exception", "[baresip]") {
    for (const char* payload : {"notjson!", "[1,2]", R"({"foo":"bar"})", R"({"event":"yes","type":"X"})",
                                R"({"event":true})", R"({"event":true,"type":17})", ""}) {
        INFO(payload);
        CHECK(std::holds_alternative<UnknownMessage>(decode_ctrl_message(payload)));
    }
    // Wrong field types read as absent.
    auto message = decode_ctrl_message(R"({"event":true,"type":"CALL_CLOSED","id":5,"param":null})");
    REQUIRE(std::get_if<CtrlEvent>(&message));
    CHECK(std::get<CtrlEvent>(message).id.empty());
}

TEST_CASE("baresip ctrl message: commands", "[baresip]") {
    auto json = nlohmann::json::parse(encode_ctrl_command("dial", "sip:5559999@127.0.0.1:5070", "cti-1"));
    CHECK(json == nlohmann::json{{"command", "dial"}, {"params", "sip:5559999@127.0.0.1:5070"}, {"token", "cti-1"}});
    CHECK(nlohmann::json::parse(encode_ctrl_command("listcalls", "", "t")).count("params") == 0);
}

TEST_CASE("baresip menu output: listcalls", "[baresip]") {
    CHECK(parse_listcalls("\n--- Active calls (0) ---\n\n").empty());
    auto calls = parse_listcalls(
        "\n--- Active calls (2) ---\n"
        "> [line 1]  0:00:00   INCOMING             sip:5551234@127.0.0.1:5070\n"
        "  [line 2]  0:00:07  ESTABLISHED  (on hold)  sip:5550002@127.0.0.1:5071\n\n");
    REQUIRE(calls.size() == 2);
    CHECK(calls[0].line == 1);
    CHECK(calls[1].line == 2);
    CHECK(calls[0].current);
    CHECK(calls[0].state == "INCOMING");
    CHECK_FALSE(calls[0].on_hold);
    CHECK(calls[0].peer_uri == "sip:5551234@127.0.0.1:5070");
    CHECK_FALSE(calls[1].current);
    CHECK(calls[1].state == "ESTABLISHED");
    CHECK(calls[1].on_hold);
    CHECK(calls[1].peer_uri == "sip:5550002@127.0.0.1:5071");
}

TEST_CASE("baresip menu output: callstat of a ringing call", "[baresip]") {
    auto details = parse_callstat(
        "\n===== Call debug (INCOMING) =====\n local_uri:  <sip:bob@127.0.0.1:15062>\n"
        " peer_uri:  Alice Caller <sip:5551234@127.0.0.1:15071>\n af=AF_INET id=1-25184@127.0.0.1\n"
        " direction: Incoming\nSDP session\n  local attributes:\n    tool='baresip 1.0.0'\n");
    REQUIRE(details);
    CHECK(details->state == "INCOMING");
    CHECK(details->peer == "Alice Caller <sip:5551234@127.0.0.1:15071>");
    CHECK(details->id == "1-25184@127.0.0.1");
    CHECK(details->incoming);
    CHECK_FALSE(parse_callstat("\n(no active calls)\n"));
}

TEST_CASE("baresip menu output: reginfo, with colour codes", "[baresip]") {
    auto aors = parse_reginfo(
        "\n--- User Agents (2) ---\n  sip:alice@127.0.0.1:5073   \x1b[32mOK \x1b[;m\n"
        "> sip:bob@127.0.0.1:5060                     \x1b[32mOK \x1b[;m kamailio (5.6.3) Expires 60s\n\n");
    REQUIRE(aors.size() == 2);
    CHECK(aors[0] == "sip:bob@127.0.0.1:5060");  // the current one first
    CHECK(aors[1] == "sip:alice@127.0.0.1:5073");
}

TEST_CASE("baresip settings: host:port and the dial URI", "[baresip]") {
    CHECK(parse_host_port("127.0.0.1:4444")->port == 4444);
    CHECK_FALSE(parse_host_port("127.0.0.1"));
    CHECK_FALSE(parse_host_port("127.0.0.1:0"));
    CHECK_FALSE(parse_host_port("127.0.0.1:65536"));
    CHECK_FALSE(parse_host_port(":5060"));
    CHECK(dial_uri_for("sip:{number}@{domain}", "pbx.example.com", "+4420") == "sip:+4420@pbx.example.com");
    CHECK(dial_uri_for("sip:{number}@{domain};user=phone", "10.0.0.1:5060", "*72#") ==
          "sip:*72%23@10.0.0.1:5060;user=phone");
}

TEST_CASE("baresip settings: defaults and errors that name the key", "[baresip]") {
    auto read = [](const char* text) {
        auto json = nlohmann::json::parse(text);
        auto reader = cti::settings_reader(json, "baresip");
        return read_settings(reader);
    };
    auto defaults = read("{}").value();
    CHECK(defaults.ctrl.text() == "127.0.0.1:4444");
    CHECK_FALSE(defaults.managed);
    CHECK(defaults.account == "<sip:agent@127.0.0.1:5062>;regint=0");
    CHECK(read(R"({"sip_listen": "127.0.0.1:5070"})")->account == "<sip:agent@127.0.0.1:5070>;regint=0");
    auto error_key = [&](const char* text) {
        auto json = nlohmann::json::parse(text);
        auto reader = cti::settings_reader(json, "baresip");
        const auto settings = read_settings(reader);
        if (settings) return std::string("(no error)");
        CHECK(settings.error().kind == cti::ErrorKind::invalid_input);
        CHECK(settings.error().message == reader.problem()->message());
        return reader.problem()->key;
    };
    CHECK(error_key(R"({"ctrl_address": "localhost"})") == "baresip.ctrl_address");
    CHECK(error_key(R"({"dial_uri": "sip:x@y"})") == "baresip.dial_uri");
    CHECK(error_key(R"({"account": "<sip:a@b>\nmodule x.so"})") == "baresip.account");
    CHECK(error_key(R"({"reconnect_min_ms": 1000, "reconnect_max_ms": 500})") == "baresip.reconnect_max_ms");
    CHECK(error_key(R"({"ctrl_adress": "127.0.0.1:4444"})") == "baresip.ctrl_adress");
}
