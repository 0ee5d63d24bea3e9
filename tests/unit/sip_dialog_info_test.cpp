#include <catch2/catch.hpp>

#include "sip/dialog_info.hpp"
#include "sip/dialog_monitor.hpp"

using namespace cti;
using namespace cti::sip;

namespace {

std::string document(unsigned version, const std::string& state, const std::string& dialogs) {
    return "<?xml version=\"1.0\"?>\n<dialog-info xmlns=\"urn:ietf:params:xml:ns:dialog-info\" version=\"" +
           std::to_string(version) + "\" state=\"" + state + "\" entity=\"sip:1001@pbx\">" + dialogs +
           "</dialog-info>";
}

std::string inbound(const std::string& state, const std::string& extra = "") {
    return "<dialog id=\"d1\" call-id=\"c1@pbx\" direction=\"recipient\"><state" + extra + ">" + state +
           "</state><local><identity display=\"Agent\">sip:1001@pbx</identity></local>"
           "<remote><identity display=\"Alice Caller\">sip:5551234@pbx</identity></remote></dialog>";
}

std::string outbound(const std::string& state, const std::string& extra = "") {
    return "<dialog id=\"d2\" call-id=\"c2@pbx\" direction=\"initiator\"><state" + extra + ">" + state +
           "</state><remote><identity>tel:+15550000;phone-context=x</identity></remote></dialog>";
}

DialogInfo parsed(const std::string& xml) {
    auto info = parse_dialog_info(xml);
    REQUIRE(info);
    return *info;
}

}  // namespace

TEST_CASE("sip dialog-info: a full document with an early inbound dialog", "[sip]") {
    auto info = parsed(document(0, "full", inbound("early")));
    CHECK(info.full);
    CHECK(info.version == 0);
    CHECK(info.entity == "sip:1001@pbx");
    REQUIRE(info.dialogs.size() == 1);
    const auto& dialog = info.dialogs[0];
    CHECK(dialog.ref() == "c1@pbx");
    CHECK(dialog.state == "early");
    CHECK(dialog.direction == Direction::inbound);
    CHECK(dialog.remote == Party{"5551234", "Alice Caller"});
    CHECK(dialog.local == Party{"1001", "Agent"});
}

TEST_CASE("sip dialog-info: a partial document, prefixed elements, tel URIs, event and code", "[sip]") {
    auto info = parsed("<d:dialog-info xmlns:d=\"urn:ietf:params:xml:ns:dialog-info\" version=\"4\" state=\"partial\" entity=\"x\">"
                       "<d:dialog id=\"d2\" direction=\"initiator\"><d:state event=\"rejected\" code=\"486\">terminated</d:state>"
                       "<d:remote><d:identity>tel:+15550000</d:identity></d:remote></d:dialog></d:dialog-info>");
    CHECK_FALSE(info.full);
    REQUIRE(info.dialogs.size() == 1);
    CHECK(info.dialogs[0].ref() == "d2");  // no call-id: the dialog id
    CHECK(info.dialogs[0].event == "rejected");
    CHECK(info.dialogs[0].code == 486);
    CHECK(info.dialogs[0].direction == Direction::outbound);
    CHECK(info.dialogs[0].remote.number == "+15550000");
}

TEST_CASE("sip dialog-info: malformed documents are skipped", "[sip]") {
    CHECK_FALSE(parse_dialog_info(""));
    CHECK_FALSE(parse_dialog_info("<dialog-info version=\"1\" state=\"full\">"));  // not closed
    CHECK_FALSE(parse_dialog_info("<presence/>"));
    CHECK_FALSE(parse_dialog_info("<dialog-info state=\"full\"/>"));            // no version
    CHECK_FALSE(parse_dialog_info("<dialog-info version=\"1\" state=\"odd\"/>"));
    auto info = parse_dialog_info(document(1, "full", "<dialog><state>early</state></dialog><dialog id=\"x\"/>"));
    REQUIRE(info);
    CHECK(info->dialogs.empty());  // no id, no state: skipped
}

TEST_CASE("sip dialog-info: URIs to dial strings", "[sip]") {
    CHECK(number_of_uri("sip:5551234@pbx.example.com") == "5551234");
    CHECK(number_of_uri("sips:%2B4930123@pbx;user=phone") == "+4930123");
    CHECK(number_of_uri("tel:+1-555-0100") == "+15550100");
    CHECK(number_of_uri("sip:alice@example.com").empty());
    CHECK(number_of_uri("garbage").empty());
}

TEST_CASE("sip dialog monitor: inbound early -> confirmed -> terminated is offered, connected, ended normal", "[sip]") {
    DialogMonitor monitor;
    auto reports = monitor.apply(parsed(document(1, "partial", inbound("early"))));
    REQUIRE(reports.size() == 1);
    CHECK(reports[0].kind == CallReport::Kind::offered);
    CHECK(reports[0].ref == "c1@pbx");
    CHECK(reports[0].direction == Direction::inbound);
    CHECK(reports[0].from == Party{"5551234", "Alice Caller"});
    CHECK(reports[0].to.number == "1001");

    reports = monitor.apply(parsed(document(2, "partial", inbound("confirmed"))));
    REQUIRE(reports.size() == 1);
    CHECK(reports[0].kind == CallReport::Kind::connected);

    reports = monitor.apply(parsed(document(3, "partial", inbound("terminated", " event=\"remote-bye\""))));
    REQUIRE(reports.size() == 1);
    CHECK(reports[0].kind == CallReport::Kind::ended);
    CHECK(reports[0].reason == EndReason::normal);
    CHECK(monitor.active() == 0);
}

TEST_CASE("sip dialog monitor: end reasons of dialogs that were never confirmed", "[sip]") {
    auto ended_as = [](const std::string& first, const std::string& last) {
        DialogMonitor monitor;
        monitor.apply(parsed(document(1, "partial", first)));
        auto reports = monitor.apply(parsed(document(2, "partial", last)));
        REQUIRE(reports.size() == 1);
        CHECK(reports[0].kind == CallReport::Kind::ended);
        return reports[0].reason;
    };
    CHECK(ended_as(inbound("early"), inbound("terminated", " event=\"cancelled\"")) == EndReason::missed);
    CHECK(ended_as(inbound("early"), inbound("terminated")) == EndReason::missed);
    CHECK(ended_as(inbound("early"), inbound("terminated", " event=\"rejected\"")) == EndReason::rejected);
    CHECK(ended_as(inbound("early"), inbound("terminated", " code=\"603\"")) == EndReason::rejected);
    CHECK(ended_as(inbound("early"), inbound("terminated", " event=\"replaced\"")) == EndReason::answered_elsewhere);
    CHECK(ended_as(outbound("early"), outbound("terminated", " event=\"rejected\" code=\"486\"")) == EndReason::busy);
    CHECK(ended_as(outbound("early"), outbound("terminated", " event=\"rejected\" code=\"403\"")) == EndReason::rejected);
    CHECK(ended_as(outbound("early"), outbound("terminated", " event=\"cancelled\"")) == EndReason::normal);
    CHECK(ended_as(outbound("early"), outbound("terminated", " event=\"error\"")) == EndReason::failed);
}

TEST_CASE("sip dialog monitor: a dial that never connected says the final response in words", "[sip]") {
    auto detail_of = [](const std::string& first, const std::string& last) {
        DialogMonitor monitor;
        monitor.apply(parsed(document(1, "partial", first)));
        auto reports = monitor.apply(parsed(document(2, "partial", last)));
        REQUIRE(reports.size() == 1);
        return reports[0].detail;
    };
    CHECK(detail_of(outbound("early"), outbound("terminated", " event=\"rejected\" code=\"486\"")) == "486 Busy Here");
    CHECK(detail_of(outbound("early"), outbound("terminated", " code=\"404\"")) == "404 Not Found");
    CHECK(detail_of(outbound("early"), outbound("terminated", " event=\"cancelled\"")).empty());
    CHECK(detail_of(outbound("confirmed"), outbound("terminated", " event=\"remote-bye\" code=\"200\"")).empty());
}

TEST_CASE("sip dialog monitor: outbound dialogs dial, stale versions and unknown terminations are ignored", "[sip]") {
    DialogMonitor monitor;
    auto reports = monitor.apply(parsed(document(5, "partial", outbound("trying"))));
    REQUIRE(reports.size() == 1);
    CHECK(reports[0].kind == CallReport::Kind::dialing);
    CHECK(reports[0].to.number == "+15550000");
    CHECK(monitor.apply(parsed(document(5, "partial", outbound("confirmed")))).empty());  // same version
    CHECK(monitor.apply(parsed(document(6, "partial", inbound("terminated")))).empty());  // never seen
    reports = monitor.apply(parsed(document(7, "partial", outbound("confirmed"))));
    REQUIRE(reports.size() == 1);
    CHECK(reports[0].kind == CallReport::Kind::connected);
}

TEST_CASE("sip dialog monitor: a confirmed dialog seen first reports its start and connected, a full document ends what it omits", "[sip]") {
    DialogMonitor monitor;
    auto reports = monitor.apply(parsed(document(1, "full", inbound("confirmed"))));
    REQUIRE(reports.size() == 2);
    CHECK(reports[0].kind == CallReport::Kind::offered);
    CHECK(reports[1].kind == CallReport::Kind::connected);
    reports = monitor.apply(parsed(document(2, "full", "")));
    REQUIRE(reports.size() == 1);
    CHECK(reports[0].kind == CallReport::Kind::ended);
    CHECK(reports[0].reason == EndReason::normal);
}
