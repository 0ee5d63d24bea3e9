// The call log in the core (cti::CallLogService) over a journal in a temporary directory: an
// ended call published as call_log once committed, save_log and its call_log.saved, history
// pages, the pending logs and what a restart finds. The journal's thread posts its answers to a
// strand of an io_context that the test runs until they arrive (bounded, never a sleep).
#include <catch2/catch.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>

#include "../support/recording_event_sink.hpp"
#include "../support/run_until.hpp"
#include "../support/temp_dir.hpp"
#include "core/call_log_service.hpp"

using namespace cti;
using namespace std::chrono_literals;
using cti::test::RecordingEventSink;
using cti::test::run_until;

namespace {

const TimePoint started = std::chrono::floor<std::chrono::seconds>(Clock::now()) - 10min;

Call ended_call(const std::string& id, bool answered) {
    Call call;
    call.id = id;
    call.state = CallState::ended;
    call.from = {"+14155550123", "Ada"};
    call.to = {"1001", "Agent"};
    call.started_at = started;
    if (answered) call.answered_at = started + 5s;
    call.ended_at = started + 65s;
    call.end_reason = answered ? EndReason::normal : EndReason::missed;
    call.driver = "simulator";
    return call;
}

Call talked(const std::string& id) { return ended_call(id, true); }
Call missed(const std::string& id) { return ended_call(id, false); }

std::vector<std::string> log_ids(const std::vector<CallLogRecord>& records) {
    std::vector<std::string> ids;
    for (const auto& record : records) ids.push_back(record.log_id);
    return ids;
}

struct CallLogs {
    test::TempDir dir;
    std::filesystem::path file = dir.path / "calls.sqlite3";
    boost::asio::io_context io;
    boost::asio::strand<boost::asio::io_context::executor_type> strand = boost::asio::make_strand(io);
    RecordingEventSink sink;
    std::unique_ptr<CallLogService> service;

    explicit CallLogs(bool wrap_up_unanswered = false) { start(wrap_up_unanswered); }

    // As the adapter starts: on the journal the last run left.
    void start(bool wrap_up_unanswered = false) {
        service.reset();
        service = std::make_unique<CallLogService>(strand, sink, CallLogJournal::open(file, 0).value(),
                                                   wrap_up_unanswered);
    }

    void wait_for_events(std::size_t count) {
        REQUIRE(run_until(io, [&] { return sink.events.size() >= count; }));
        REQUIRE(sink.events.size() == count);
    }

    Result<CallLogRecord> save(std::string log_id, std::optional<std::string> disposition,
                               std::optional<std::string> notes, std::size_t* events_before_answer = nullptr) {
        std::optional<Result<CallLogRecord>> answer;
        service->save({std::move(log_id), std::move(disposition), std::move(notes)},
                      [&](Result<CallLogRecord> result) {
                          if (events_before_answer) *events_before_answer = sink.events.size();
                          answer = std::move(result);
                      });
        REQUIRE(run_until(io, [&] { return answer.has_value(); }));
        return std::move(*answer);
    }

    HistoryPage history(std::int64_t before, std::int64_t limit) {
        std::optional<Result<HistoryPage>> answer;
        service->history({before, limit}, [&](Result<HistoryPage> page) { answer = std::move(page); });
        REQUIRE(run_until(io, [&] { return answer.has_value(); }));
        REQUIRE(answer->has_value());
        return std::move(**answer);
    }

    // Runs the handlers of every write queued so far.
    void settle() {
        bool done = false;
        service->after_queued_writes([&] { done = true; });
        REQUIRE(run_until(io, [&] { return done; }));
    }
};

}  // namespace

TEST_CASE("call log service: an ended call is published as call_log once the journal has committed it",
          "[call_log_service]") {
    CallLogs logs;
    logs.service->log_ended(talked("c-1"));
    CHECK(logs.sink.events.empty());  // nothing before the commit's answer reaches the strand
    CHECK(logs.service->pending().empty());

    logs.wait_for_events(1);
    const auto* event = logs.sink.get<CallLogEvent>(0);
    REQUIRE(event != nullptr);
    CHECK(event->log.log_id == "c-1");
    CHECK(event->log.journaled);
    CHECK_FALSE(event->log.acknowledged);
    CHECK(event->log.cursor > 0);
    CHECK(event->log.duration_s == 60);
    CHECK(event->log.call.end_reason == EndReason::normal);
    CHECK(event->log.call.from.number == "+14155550123");
    CHECK(log_ids(logs.service->pending()) == std::vector<std::string>{"c-1"});

    // On disk: the next run finds it pending.
    logs.start();
    CHECK(log_ids(logs.service->pending()) == std::vector<std::string>{"c-1"});
}

TEST_CASE("call log service: an unanswered call is logged wrapped up unless the settings say otherwise",
          "[call_log_service]") {
    SECTION("wrap_up_unanswered off") {
        CallLogs logs(false);
        logs.service->log_ended(missed("c-1"));
        logs.wait_for_events(1);
        REQUIRE(logs.sink.get<CallLogEvent>(0) != nullptr);
        CHECK(logs.sink.get<CallLogEvent>(0)->log.acknowledged);
        CHECK(logs.sink.get<CallLogEvent>(0)->log.duration_s == 0);
        CHECK(logs.service->pending().empty());
    }
    SECTION("wrap_up_unanswered on") {
        CallLogs logs(true);
        logs.service->log_ended(missed("c-1"));
        logs.wait_for_events(1);
        REQUIRE(logs.sink.get<CallLogEvent>(0) != nullptr);
        CHECK_FALSE(logs.sink.get<CallLogEvent>(0)->log.acknowledged);
        CHECK(log_ids(logs.service->pending()) == std::vector<std::string>{"c-1"});
    }
}

TEST_CASE("call log service: saving a known log answers with the record, then publishes call_log.saved",
          "[call_log_service]") {
    CallLogs logs;
    logs.service->log_ended(talked("c-1"));
    logs.wait_for_events(1);

    std::size_t events_before_answer = 99;
    const auto saved = logs.save("c-1", "Sale", "Wants a quote", &events_before_answer);

    REQUIRE(saved.has_value());
    CHECK(saved->log_id == "c-1");
    CHECK(saved->disposition == "Sale");
    CHECK(saved->notes == "Wants a quote");
    CHECK(saved->acknowledged);
    CHECK(events_before_answer == 1);  // the page that saved it had its answer first
    REQUIRE(logs.sink.events.size() == 2);
    const auto* event = logs.sink.get<CallLogSavedEvent>(1);
    REQUIRE(event != nullptr);
    CHECK(event->log.log_id == "c-1");
    CHECK(event->log.disposition == "Sale");
    CHECK(event->log.acknowledged);
    CHECK(logs.service->pending().empty());

    SECTION("a second save keeps what it leaves out") {
        const auto again = logs.save("c-1", std::nullopt, "Called back");
        REQUIRE(again.has_value());
        CHECK(again->disposition == "Sale");
        CHECK(again->notes == "Called back");
    }
}

TEST_CASE("call log service: saving an unknown log fails with not_found and publishes nothing",
          "[call_log_service]") {
    CallLogs logs;
    logs.service->log_ended(talked("c-1"));
    logs.wait_for_events(1);

    const auto saved = logs.save("no-such-log", "Sale", std::nullopt);

    REQUIRE_FALSE(saved.has_value());
    CHECK(saved.error().kind == ErrorKind::not_found);
    CHECK_THAT(saved.error().message, Catch::Contains("no-such-log"));
    CHECK(logs.sink.events.size() == 1);
    CHECK(log_ids(logs.service->pending()) == std::vector<std::string>{"c-1"});
}

TEST_CASE("call log service: history pages the logs newest first", "[call_log_service]") {
    CallLogs logs;
    for (const auto* id : {"c-1", "c-2", "c-3"}) logs.service->log_ended(talked(id));
    logs.wait_for_events(3);
    std::vector<std::string> published;
    for (const auto& event : logs.sink.all<CallLogEvent>()) published.push_back(event.log.log_id);
    CHECK(published == std::vector<std::string>{"c-1", "c-2", "c-3"});

    const auto first = logs.history(0, 2);
    CHECK(log_ids(first.newest_first) == std::vector<std::string>{"c-3", "c-2"});
    CHECK(first.more);

    const auto second = logs.history(first.newest_first.back().cursor, 2);
    CHECK(log_ids(second.newest_first) == std::vector<std::string>{"c-1"});
    CHECK_FALSE(second.more);

    CHECK(logs.sink.events.size() == 3);  // reading history publishes nothing
}

TEST_CASE("call log service: a history page that is exactly full says there is no more", "[call_log_service]") {
    CallLogs logs;
    for (const auto* id : {"c-1", "c-2"}) logs.service->log_ended(talked(id));
    logs.wait_for_events(2);

    const auto whole = logs.history(0, 2);
    CHECK(log_ids(whole.newest_first) == std::vector<std::string>{"c-2", "c-1"});
    CHECK_FALSE(whole.more);  // a page reader would otherwise ask for an empty next page

    const auto part = logs.history(0, 1);
    CHECK(log_ids(part.newest_first) == std::vector<std::string>{"c-2"});
    CHECK(part.more);
}

TEST_CASE("call log service: pending lists the logs no page has saved, across a restart", "[call_log_service]") {
    CallLogs logs;
    logs.service->log_ended(talked("c-1"));
    logs.service->log_ended(missed("c-2"));  // wrapped up from the start
    logs.service->log_ended(talked("c-3"));
    logs.wait_for_events(3);
    CHECK(log_ids(logs.service->pending()) == std::vector<std::string>{"c-1", "c-3"});

    REQUIRE(logs.save("c-1", "Support", std::nullopt).has_value());
    CHECK(log_ids(logs.service->pending()) == std::vector<std::string>{"c-3"});

    logs.start();
    CHECK(log_ids(logs.service->pending()) == std::vector<std::string>{"c-3"});
}

TEST_CASE("call log service: a call still up when the adapter stopped is logged as lost on the next start",
          "[call_log_service]") {
    CallLogs logs;
    Call open_call = talked("c-9");
    open_call.state = CallState::connected;
    open_call.ended_at.reset();
    open_call.end_reason.reset();
    logs.service->keep_open(open_call);
    logs.settle();

    logs.start();  // the writes above are flushed by the old service first

    const auto& pending = logs.service->pending();
    REQUIRE(pending.size() == 1);
    CHECK(pending[0].log_id == "c-9");
    CHECK(pending[0].call.state == CallState::ended);
    CHECK(pending[0].call.end_reason == EndReason::driver_lost);
    CHECK(pending[0].call.answered_at.has_value());

    SECTION("only once") {
        logs.start();
        CHECK(logs.service->pending().size() == 1);
    }
    SECTION("a call that ends is no longer open") {
        Call up = open_call;
        up.id = "c-10";
        logs.service->keep_open(up);
        logs.service->log_ended(talked("c-10"));
        logs.wait_for_events(1);
        logs.start();  // c-10 is not logged a second time, as lost
        CHECK(log_ids(logs.service->pending()) == std::vector<std::string>{"c-9", "c-10"});
    }
}

TEST_CASE("call log service: after_queued_writes runs once the writes before it have been answered",
          "[call_log_service]") {
    CallLogs logs;
    logs.service->log_ended(talked("c-1"));
    std::size_t events_then = 0;
    bool ran = false;
    logs.service->after_queued_writes([&] {
        events_then = logs.sink.events.size();
        ran = true;
    });
    REQUIRE(run_until(logs.io, [&] { return ran; }));
    CHECK(events_then == 1);
}
