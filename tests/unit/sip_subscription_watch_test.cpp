// How the SIP driver notices that the PBX lost its dialog subscription (SubscriptionWatch).
#include <catch2/catch.hpp>

#include "settings/settings_json.hpp"
#include "sip/sip_settings.hpp"
#include "sip/subscription_watch.hpp"

using namespace cti;
using namespace cti::sip;
using Action = SubscriptionWatch::Action;

TEST_CASE("sip subscription watch: a new subscription is confirmed by its first NOTIFY, not by the 200", "[sip]") {
    SubscriptionWatch watch;
    watch.started();
    CHECK_FALSE(watch.confirmed());
    CHECK(watch.accepted());  // the 200: a NOTIFY is owed now
    CHECK(watch.awaiting_notify());
    CHECK_FALSE(watch.confirmed());
    CHECK(watch.notified(0, true).action == Action::none);
    CHECK(watch.confirmed());
    CHECK_FALSE(watch.awaiting_notify());
    CHECK(watch.notify_overdue().action == Action::none);
}

TEST_CASE("sip subscription watch: a NOTIFY that overtakes the SUBSCRIBE's 200 is not owed again", "[sip]") {
    SubscriptionWatch watch;
    watch.started();
    watch.notified(0, true);
    CHECK_FALSE(watch.accepted());
    CHECK(watch.notify_overdue().action == Action::none);
}

TEST_CASE("sip subscription watch: an accepted SUBSCRIBE whose NOTIFY never comes means subscribing again", "[sip]") {
    SubscriptionWatch watch;
    watch.started();
    watch.notified(3, true);
    watch.sent();  // a refresh
    CHECK(watch.accepted());
    const auto verdict = watch.notify_overdue();
    CHECK(verdict.action == Action::resubscribe);
    CHECK_THAT(verdict.reason, Catch::Contains("no NOTIFY"));
}

TEST_CASE("sip subscription watch: a refresh answered 481 or refused or unanswered means subscribing again", "[sip]") {
    CHECK(SubscriptionWatch::refresh_answered(200).action == Action::none);
    CHECK(SubscriptionWatch::refresh_answered(202).action == Action::none);
    const auto gone = SubscriptionWatch::refresh_answered(481);
    CHECK(gone.action == Action::resubscribe);
    CHECK_THAT(gone.reason, Catch::Contains("481"));
    CHECK(SubscriptionWatch::refresh_answered(403).action == Action::resubscribe);
    CHECK(SubscriptionWatch::refresh_answered(std::nullopt).action == Action::resubscribe);
}

TEST_CASE("sip subscription watch: partial documents that follow on are fine, a gap or a step back asks for a check", "[sip]") {
    SubscriptionWatch watch;
    watch.started();
    CHECK(watch.notified(5, true).action == Action::none);
    CHECK(watch.notified(6, false).action == Action::none);
    CHECK(watch.notified(6, false).action == Action::none);  // a retransmission
    const auto gap = watch.notified(9, false);
    CHECK(gap.action == Action::check);
    CHECK_THAT(gap.reason, Catch::Contains("from version 6 to 9"));
    CHECK(watch.notified(10, false).action == Action::none);
    // A notifier that counts from 0 again (it restarted and kept the subscription).
    const auto back = watch.notified(1, false);
    CHECK(back.action == Action::check);
    CHECK_THAT(back.reason, Catch::Contains("went back"));
    // The refresh brings a full document: whatever its number, the new baseline.
    CHECK(watch.notified(2, true).action == Action::none);
    CHECK(watch.notified(3, false).action == Action::none);
    // A body that is no dialog-info still confirms, and checks nothing.
    CHECK(watch.notified(std::nullopt, false).action == Action::none);
}

TEST_CASE("sip subscription watch: a new subscription counts versions anew", "[sip]") {
    SubscriptionWatch watch;
    watch.started();
    watch.notified(40, true);
    watch.started();
    CHECK_FALSE(watch.confirmed());
    CHECK(watch.notified(0, false).action == Action::none);  // no baseline yet: nothing to compare
    CHECK(watch.notified(1, false).action == Action::none);
}

TEST_CASE("sip subscription watch: a keepalive answered only after a resend, or a forgotten nonce, asks for a check", "[sip]") {
    CHECK(SubscriptionWatch::keepalive_answered(false).action == Action::none);
    const auto away = SubscriptionWatch::keepalive_answered(true);
    CHECK(away.action == Action::check);
    CHECK_THAT(away.reason, Catch::Contains("resend"));
    CHECK(SubscriptionWatch::rechallenged(true).action == Action::none);  // the nonce only aged
    CHECK(SubscriptionWatch::rechallenged(false).action == Action::check);
}

TEST_CASE("sip subscription watch: a subscription ended as deactivated or timed out is made again at once, others wait",
          "[sip]") {
    for (const char* state : {"terminated;reason=deactivated", "terminated; reason=Timeout",
                              "terminated;reason=deactivated;retry-after=0"}) {
        INFO(state);
        const auto verdict = SubscriptionWatch::terminated(state);
        CHECK(verdict.action == Action::resubscribe);
        CHECK_THAT(verdict.reason, Catch::Contains("reason="));
    }
    for (const char* state : {"terminated;reason=rejected", "terminated;reason=noresource",
                              "terminated;reason=probation;retry-after=30", "terminated",
                              "terminated;reason=deactivatedx"})
        CHECK(SubscriptionWatch::terminated(state).action == Action::none);
}

TEST_CASE("sip settings: subscription_check_ms", "[sip]") {
    auto read = [](nlohmann::json section) {
        section["registrar"] = "pbx.example.com";
        section["user"] = "1001";
        auto reader = settings_reader(section, "sip");
        return read_sip_settings(reader);
    };
    auto problem = [&](nlohmann::json section) {
        const auto settings = read(std::move(section));
        return settings ? std::string("(no error)") : settings.error().message;
    };
    CHECK(read({})->subscription_check_ms == 60000);
    CHECK(read({{"subscription_check_ms", 0}})->subscription_check_ms == 0);
    CHECK(read({{"subscription_check_ms", 5000}})->subscription_check_ms == 5000);
    CHECK_THAT(problem({{"subscription_check_ms", 500}}), Catch::Contains("at least 1000"));
}
