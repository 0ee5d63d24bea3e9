// The journal's typed tables (calls still up, the agent's state) and its one-time take-over of
// what older versions kept as JSON text, so that an upgrade loses neither.
#include <catch2/catch.hpp>

#include <chrono>
#include <string>

#include <sqlite3.h>

#include "call_log/call_log_journal.hpp"
#include "../support/temp_dir.hpp"

using namespace cti;
using namespace std::chrono_literals;

namespace {

TimePoint at_ms(std::int64_t ms) { return TimePoint(std::chrono::milliseconds(ms)); }

Call open_call(const std::string& id) {
    Call call;
    call.id = id;
    call.direction = Direction::outbound;
    call.state = CallState::connected;
    call.from = {"1001", "Agent"};
    call.to = {"+14155550123", "Ada"};
    call.started_at = at_ms(1'700'000'000'000);
    call.answered_at = at_ms(1'700'000'004'000);
    call.driver = "sip";
    return call;
}

// Runs SQL on the file as an older version of the adapter would have left it.
void run_sql(const std::filesystem::path& file, const std::string& sql) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(file.string().c_str(), &db) == SQLITE_OK);
    char* message = nullptr;
    const auto rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
    const std::string why = message ? message : "";
    sqlite3_free(message);
    sqlite3_close(db);
    INFO(why);
    REQUIRE(rc == SQLITE_OK);
}

int count_rows(const std::filesystem::path& file, const std::string& query) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(file.string().c_str(), &db) == SQLITE_OK);
    sqlite3_stmt* statement = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, query.c_str(), -1, &statement, nullptr) == SQLITE_OK);
    const int count = sqlite3_step(statement) == SQLITE_ROW ? sqlite3_column_int(statement, 0) : -1;
    sqlite3_finalize(statement);
    sqlite3_close(db);
    return count;
}

}  // namespace

TEST_CASE("journal: a call still up is kept with every field until it is forgotten", "[call_log][journal]") {
    test::TempDir dir;
    const auto file = dir.path / "calls.sqlite3";
    {
        const auto journal = CallLogJournal::open(file, 0).value();
        journal->remember_open(open_call("c-1"));
        auto later = open_call("c-2");
        later.started_at += 1s;
        later.answered_at.reset();
        later.direction = Direction::inbound;
        journal->remember_open(later);
    }
    const auto reopened = CallLogJournal::open(file, 0).value();
    const auto calls = reopened->open_calls();
    REQUIRE(calls.size() == 2);
    const auto& first = calls[0];
    CHECK(first.id == "c-1");
    CHECK(first.direction == Direction::outbound);
    CHECK(first.from == Party{"1001", "Agent"});
    CHECK(first.to == Party{"+14155550123", "Ada"});
    CHECK(first.started_at == at_ms(1'700'000'000'000));
    CHECK(first.answered_at == at_ms(1'700'000'004'000));
    CHECK(first.driver == "sip");
    CHECK(calls[1].id == "c-2");
    CHECK_FALSE(calls[1].answered_at.has_value());

    reopened->forget_open("c-1");
    const auto left = reopened->open_calls();
    REQUIRE(left.size() == 1);
    CHECK(left[0].id == "c-2");
}

TEST_CASE("journal: the agent's state is kept across a restart", "[call_log][journal]") {
    test::TempDir dir;
    const auto file = dir.path / "calls.sqlite3";
    {
        const auto journal = CallLogJournal::open(file, 0).value();
        CHECK_FALSE(journal->load_agent_state().has_value());
        AgentState wrap_up;
        wrap_up.mode = AgentState::Mode::wrap_up;
        wrap_up.since = at_ms(1'700'000'000'000);
        wrap_up.wrap_up_ends = at_ms(1'700'000'030'000);
        journal->store_agent_state(wrap_up);
        AgentState lunch;
        lunch.mode = AgentState::Mode::not_ready;
        lunch.reason = "Lunch";
        lunch.since = at_ms(1'700'000'040'000);
        journal->store_agent_state(lunch);  // replaces, never adds
    }
    const auto reopened = CallLogJournal::open(file, 0).value();
    const auto agent = reopened->load_agent_state();
    REQUIRE(agent.has_value());
    CHECK(agent->mode == AgentState::Mode::not_ready);
    CHECK(agent->reason == "Lunch");
    CHECK(agent->since == at_ms(1'700'000'040'000));
    CHECK_FALSE(agent->wrap_up_ends.has_value());
    CHECK(count_rows(file, "SELECT count(*) FROM agent_state") == 1);
}

TEST_CASE("journal: an older version's kept values are taken over once and their table dropped", "[call_log][journal]") {
    test::TempDir dir;
    const auto file = dir.path / "calls.sqlite3";
    run_sql(file,
            "CREATE TABLE kept_values (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
            "INSERT INTO kept_values VALUES ('open_call:c-7', '{\"id\":\"c-7\",\"direction\":\"internal\","
            "\"from\":{\"number\":\"1002\",\"name\":\"Bob\"},\"to\":{\"number\":\"1001\",\"name\":\"\"},"
            "\"started_ms\":1700000000000,\"answered_ms\":1700000002000,\"driver\":\"baresip\"}');"
            "INSERT INTO kept_values VALUES ('open_call:broken', 'not json');"
            "INSERT INTO kept_values VALUES ('agent_state', '{\"state\":\"not_ready\",\"reason\":\"Training\","
            "\"since_ms\":1700000001000}');");
    {
        const auto journal = CallLogJournal::open(file, 0).value();
        const auto calls = journal->open_calls();
        REQUIRE(calls.size() == 1);  // the unreadable one is skipped, not fatal
        CHECK(calls[0].id == "c-7");
        CHECK(calls[0].direction == Direction::internal);
        CHECK(calls[0].from == Party{"1002", "Bob"});
        CHECK(calls[0].answered_at == at_ms(1'700'000'002'000));
        CHECK(calls[0].driver == "baresip");
        const auto agent = journal->load_agent_state();
        REQUIRE(agent.has_value());
        CHECK(agent->mode == AgentState::Mode::not_ready);
        CHECK(agent->reason == "Training");
        CHECK(agent->since == at_ms(1'700'000'001'000));
    }
    CHECK(count_rows(file, "SELECT count(*) FROM sqlite_master WHERE name = 'kept_values'") == 0);

    SECTION("a second start finds the same, taken over only once") {
        const auto again = CallLogJournal::open(file, 0).value();
        CHECK(again->open_calls().size() == 1);
        CHECK(again->load_agent_state()->reason == "Training");
    }
}

TEST_CASE("journal: a file that is not a journal is refused at open, naming it", "[call_log][journal]") {
    test::TempDir dir;
    const auto file = dir.write("calls.sqlite3", std::string(4096, 'x'));
    const auto journal = CallLogJournal::open(file, 0);
    REQUIRE_FALSE(journal.has_value());
    CHECK(journal.error().kind == ErrorKind::failed);
    CHECK_THAT(journal.error().message, Catch::StartsWith(file + ": ") && Catch::Contains("not a database"));
}

TEST_CASE("journal: a file that cannot be made is refused at open, naming it", "[call_log][journal]") {
    test::TempDir dir;
    const auto file = std::filesystem::path(dir.write("not-a-folder", "a file")) / "calls.sqlite3";
    const auto journal = CallLogJournal::open(file, 0);
    REQUIRE_FALSE(journal.has_value());
    CHECK(journal.error().kind == ErrorKind::failed);
    CHECK_THAT(journal.error().message, Catch::StartsWith(file.string() + ": cannot open the call log: "));
}
