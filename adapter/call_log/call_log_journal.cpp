#include "call_log/call_log_journal.hpp"

#include <sqlite3.h>

#include "call_log/legacy_kept_values.hpp"
#include "platform/private_files.hpp"

namespace cti {
namespace {

// One prepared statement, finalized on every path.
class Statement {
public:
    Statement(sqlite3* db, const char* sql) : db_(db) {
        if (sqlite3_prepare_v2(db, sql, -1, &statement_, nullptr) != SQLITE_OK)
            throw CallLogError(std::string("call log: ") + sqlite3_errmsg(db));
    }
    ~Statement() { sqlite3_finalize(statement_); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    void bind(int index, const std::string& text) {
        sqlite3_bind_text(statement_, index, text.c_str(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    }
    void bind(int index, const std::optional<std::string>& text) {
        if (text) bind(index, *text);
        else sqlite3_bind_null(statement_, index);
    }
    void bind(int index, std::int64_t number) { sqlite3_bind_int64(statement_, index, number); }

    bool step() {
        const int rc = sqlite3_step(statement_);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        throw CallLogError(std::string("call log: ") + sqlite3_errmsg(db_));
    }
    std::int64_t integer(int column) { return sqlite3_column_int64(statement_, column); }
    std::optional<std::string> text(int column) {
        if (sqlite3_column_type(statement_, column) == SQLITE_NULL) return std::nullopt;
        return std::string(reinterpret_cast<const char*>(sqlite3_column_text(statement_, column)),
                           static_cast<std::size_t>(sqlite3_column_bytes(statement_, column)));
    }

private:
    sqlite3* db_;
    sqlite3_stmt* statement_ = nullptr;
};

std::int64_t to_ms(TimePoint time) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}
TimePoint from_ms(std::int64_t ms) { return TimePoint(std::chrono::milliseconds(ms)); }

std::optional<std::int64_t> optional_ms(const std::optional<TimePoint>& time) {
    if (!time) return std::nullopt;
    return to_ms(*time);
}

Direction direction_named(std::string_view name) {
    return name == "outbound" ? Direction::outbound : name == "internal" ? Direction::internal : Direction::inbound;
}

constexpr const char* columns =
    "cursor, log_id, direction, from_number, from_name, to_number, to_name, started_ms, "
    "answered_ms, ended_ms, end_reason, driver, disposition, notes, acknowledged, end_detail";

CallLogRecord read_record(Statement& row) {
    CallLogRecord record;
    record.cursor = row.integer(0);
    record.log_id = row.text(1).value_or("");
    auto& call = record.call;
    call.id = record.log_id;
    call.direction = direction_named(row.text(2).value_or(""));
    call.state = CallState::ended;
    call.from = {row.text(3).value_or(""), row.text(4).value_or("")};
    call.to = {row.text(5).value_or(""), row.text(6).value_or("")};
    call.started_at = from_ms(row.integer(7));
    if (auto answered = row.text(8)) call.answered_at = from_ms(row.integer(8));
    call.ended_at = from_ms(row.integer(9));
    for (auto reason : {EndReason::normal, EndReason::missed, EndReason::rejected, EndReason::busy,
                        EndReason::failed, EndReason::answered_elsewhere, EndReason::driver_lost})
        if (row.text(10) == to_string(reason)) call.end_reason = reason;
    call.driver = row.text(11).value_or("");
    record.disposition = row.text(12);
    record.notes = row.text(13);
    record.acknowledged = row.integer(14) != 0;
    call.end_detail = row.text(15).value_or("");
    if (call.answered_at)
        record.duration_s = std::chrono::duration_cast<std::chrono::seconds>(*call.ended_at - *call.answered_at).count();
    return record;
}

// Full numbers, names and notes: the journal is its user's alone. Done once the file exists and
// before WAL mode is set, because SQLite gives the -wal and -shm files it makes the database's
// mode; the ones an earlier version left readable are tightened with it.
void make_files_private(const std::filesystem::path& file) {
    std::vector<std::filesystem::path> files{file};
    for (const char* companion : {"-wal", "-shm", "-journal"}) files.emplace_back(file.string() + companion);
    platform::make_private(files, file.parent_path());
}

}  // namespace

Result<std::unique_ptr<CallLogJournal>> CallLogJournal::open(const std::filesystem::path& file, int retention_days) {
    std::error_code ignored;
    if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ignored);
    // SQLite takes UTF-8 file names everywhere; on Windows the native path is UTF-16.
    const std::u8string name = file.u8string();
    sqlite3* db = nullptr;
    if (sqlite3_open(reinterpret_cast<const char*>(name.c_str()), &db) != SQLITE_OK) {
        std::string why = db ? sqlite3_errmsg(db) : "out of memory";
        sqlite3_close(db);
        return fail(ErrorKind::failed, file.string() + ": cannot open the call log: " + why);
    }
    make_files_private(file);
    // Made here, where nothing can fail any more: from now on the journal closes the database.
    std::unique_ptr<CallLogJournal> journal(new CallLogJournal(file, retention_days, db));
    try {
        journal->create_tables();
    } catch (const CallLogError& error) {
        return fail(ErrorKind::failed, file.string() + ": " + error.what());
    }
    return journal;
}

CallLogJournal::CallLogJournal(std::filesystem::path file, int retention_days, sqlite3* db)
    : file_(std::move(file)), retention_days_(retention_days), db_(db) {}

void CallLogJournal::create_tables() {
    // WAL + FULL: a record is on disk before any page hears of the call's end, and a crash
    // (even SIGKILL or a power cut) never loses or corrupts a committed record.
    execute("PRAGMA journal_mode=WAL");
    execute("PRAGMA synchronous=FULL");
    // Another program reading the file (a backup, the sqlite3 shell) may hold it briefly.
    sqlite3_busy_timeout(db_, 10000);
    execute("CREATE TABLE IF NOT EXISTS call_log ("
            " cursor INTEGER PRIMARY KEY AUTOINCREMENT,"
            " log_id TEXT NOT NULL UNIQUE, direction TEXT NOT NULL,"
            " from_number TEXT, from_name TEXT, to_number TEXT, to_name TEXT,"
            " started_ms INTEGER NOT NULL, answered_ms INTEGER, ended_ms INTEGER NOT NULL,"
            " end_reason TEXT, driver TEXT, disposition TEXT, notes TEXT,"
            " acknowledged INTEGER NOT NULL DEFAULT 0, saved_ms INTEGER, end_detail TEXT)");
    add_column_if_missing("end_detail", "TEXT");
    execute("CREATE INDEX IF NOT EXISTS call_log_pending ON call_log(acknowledged, cursor)");
    execute("CREATE TABLE IF NOT EXISTS open_calls ("
            " call_id TEXT PRIMARY KEY, direction TEXT NOT NULL,"
            " from_number TEXT, from_name TEXT, to_number TEXT, to_name TEXT,"
            " started_ms INTEGER NOT NULL, answered_ms INTEGER, driver TEXT)");
    execute("CREATE TABLE IF NOT EXISTS agent_state ("
            " id INTEGER PRIMARY KEY CHECK (id = 1), mode TEXT NOT NULL, reason TEXT,"
            " since_ms INTEGER NOT NULL, wrap_up_ends_ms INTEGER)");
    take_over_kept_values();
    prune();
}

CallLogJournal::~CallLogJournal() { sqlite3_close(db_); }

void CallLogJournal::execute(const char* sql) {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
        std::string why = message ? message : "unknown error";
        sqlite3_free(message);
        throw CallLogError("call log: " + why);
    }
}

// A journal written by an older version lacks the newer columns; SQLite adds one in place, and
// the rows already there read it as NULL.
void CallLogJournal::add_column_if_missing(const char* column, const char* type) {
    Statement columns_now(db_, "SELECT 1 FROM pragma_table_info('call_log') WHERE name = ?");
    columns_now.bind(1, std::string(column));
    if (columns_now.step()) return;
    execute((std::string("ALTER TABLE call_log ADD COLUMN ") + column + " " + type).c_str());
}

void CallLogJournal::begin() { execute("BEGIN IMMEDIATE"); }
void CallLogJournal::commit() { execute("COMMIT"); }

void CallLogJournal::rollback() noexcept {
    if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

namespace {

// Parameters 1 to 8 of both tables' inserts: the call's id, direction, parties, start and answer.
void bind_call_start(Statement& statement, const Call& call) {
    statement.bind(1, call.id);
    statement.bind(2, std::string(to_string(call.direction)));
    statement.bind(3, call.from.number);
    statement.bind(4, call.from.name);
    statement.bind(5, call.to.number);
    statement.bind(6, call.to.name);
    statement.bind(7, to_ms(call.started_at));
    if (auto answered = optional_ms(call.answered_at)) statement.bind(8, *answered);
}

}  // namespace

CallLogRecord CallLogJournal::record(const Call& call, bool wrapped_up) {
    Statement insert(db_,
                     "INSERT OR IGNORE INTO call_log (log_id, direction, from_number, from_name,"
                     " to_number, to_name, started_ms, answered_ms, ended_ms, end_reason, driver, end_detail,"
                     " acknowledged, saved_ms)"
                     " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    bind_call_start(insert, call);
    insert.bind(9, to_ms(call.ended_at.value_or(Clock::now())));
    insert.bind(10, call.end_reason ? std::optional<std::string>(std::string(to_string(*call.end_reason))) : std::nullopt);
    insert.bind(11, call.driver);
    insert.bind(12, call.end_detail);
    insert.bind(13, std::int64_t{wrapped_up ? 1 : 0});
    if (wrapped_up) insert.bind(14, to_ms(Clock::now()));
    insert.step();
    Statement select(db_, (std::string("SELECT ") + columns + " FROM call_log WHERE log_id = ?").c_str());
    select.bind(1, call.id);
    if (!select.step()) throw CallLogError("call log: the record just written is missing");
    return read_record(select);
}

std::optional<CallLogRecord> CallLogJournal::acknowledge(const std::string& log_id,
                                                         const std::optional<std::string>& disposition,
                                                         const std::optional<std::string>& notes) {
    Statement update(db_,
                     "UPDATE call_log SET acknowledged = 1, saved_ms = ?,"
                     " disposition = COALESCE(?, disposition), notes = COALESCE(?, notes)"
                     " WHERE log_id = ?");
    update.bind(1, to_ms(Clock::now()));
    update.bind(2, disposition);
    update.bind(3, notes);
    update.bind(4, log_id);
    update.step();
    if (sqlite3_changes(db_) == 0) return std::nullopt;
    Statement select(db_, (std::string("SELECT ") + columns + " FROM call_log WHERE log_id = ?").c_str());
    select.bind(1, log_id);
    if (!select.step()) return std::nullopt;
    return read_record(select);
}

std::vector<CallLogRecord> CallLogJournal::query(const std::string& where_and_order,
                                                 std::int64_t parameter, std::size_t limit) {
    Statement select(db_, (std::string("SELECT ") + columns + " FROM call_log " + where_and_order + " LIMIT ?").c_str());
    select.bind(1, parameter);
    select.bind(2, static_cast<std::int64_t>(limit));
    std::vector<CallLogRecord> records;
    while (select.step()) records.push_back(read_record(select));
    return records;
}

std::vector<CallLogRecord> CallLogJournal::pending(std::size_t limit) {
    return query("WHERE acknowledged = 0 AND cursor > ? ORDER BY cursor ASC", 0, limit);
}

std::vector<CallLogRecord> CallLogJournal::history(std::int64_t before, std::size_t limit) {
    if (before <= 0) before = std::numeric_limits<std::int64_t>::max();
    return query("WHERE cursor < ? ORDER BY cursor DESC", before, limit);
}

void CallLogJournal::store_agent_state(const AgentState& state) {
    Statement upsert(db_, "INSERT INTO agent_state (id, mode, reason, since_ms, wrap_up_ends_ms)"
                          " VALUES (1, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET mode = excluded.mode,"
                          " reason = excluded.reason, since_ms = excluded.since_ms,"
                          " wrap_up_ends_ms = excluded.wrap_up_ends_ms");
    upsert.bind(1, std::string(to_string(state.mode)));
    upsert.bind(2, state.reason);
    upsert.bind(3, to_ms(state.since));
    if (auto ends = optional_ms(state.wrap_up_ends)) upsert.bind(4, *ends);
    upsert.step();
}

std::optional<AgentState> CallLogJournal::load_agent_state() {
    Statement select(db_, "SELECT mode, reason, since_ms, wrap_up_ends_ms FROM agent_state WHERE id = 1");
    if (!select.step()) return std::nullopt;
    auto mode = agent_mode_named(select.text(0).value_or(""));
    if (!mode) return std::nullopt;
    AgentState state;
    state.mode = *mode;
    state.reason = select.text(1).value_or("");
    state.since = from_ms(select.integer(2));
    if (select.text(3)) state.wrap_up_ends = from_ms(select.integer(3));
    return state;
}

void CallLogJournal::remember_open(const Call& call) {
    Statement upsert(db_, "INSERT OR REPLACE INTO open_calls (call_id, direction, from_number, from_name,"
                          " to_number, to_name, started_ms, answered_ms, driver) VALUES (?,?,?,?,?,?,?,?,?)");
    bind_call_start(upsert, call);
    upsert.bind(9, call.driver);
    upsert.step();
}

void CallLogJournal::forget_open(const std::string& call_id) {
    Statement remove(db_, "DELETE FROM open_calls WHERE call_id = ?");
    remove.bind(1, call_id);
    remove.step();
}

std::vector<Call> CallLogJournal::open_calls() {
    Statement select(db_, "SELECT call_id, direction, from_number, from_name, to_number, to_name,"
                          " started_ms, answered_ms, driver FROM open_calls ORDER BY started_ms");
    std::vector<Call> calls;
    while (select.step()) {
        Call call;
        call.id = select.text(0).value_or("");
        call.direction = direction_named(select.text(1).value_or(""));
        call.from = {select.text(2).value_or(""), select.text(3).value_or("")};
        call.to = {select.text(4).value_or(""), select.text(5).value_or("")};
        call.started_at = from_ms(select.integer(6));
        if (select.text(7)) call.answered_at = from_ms(select.integer(7));
        call.driver = select.text(8).value_or("");
        calls.push_back(std::move(call));
    }
    return calls;
}

// Versions before the typed tables kept the open calls and the agent's state as JSON text in
// `kept_values`. Moved over once, in one transaction, so an upgrade still logs the call that
// was up when the old version stopped and keeps the agent where they were.
void CallLogJournal::take_over_kept_values() {
    {
        // Scoped: SQLite cannot drop a table while a statement reading the schema is open.
        Statement exists(db_, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'kept_values'");
        if (!exists.step()) return;
    }
    std::vector<Call> calls;
    std::optional<AgentState> agent;
    {
        Statement select(db_, "SELECT key, value FROM kept_values");
        while (select.step()) {
            const auto key = select.text(0).value_or("");
            const auto value = select.text(1).value_or("");
            if (key.starts_with("open_call:")) {
                if (auto call = legacy::open_call(value)) calls.push_back(std::move(*call));
            } else if (key == "agent_state") {
                agent = legacy::agent_state(value);
            }
        }
    }
    begin();
    try {
        for (const auto& call : calls) remember_open(call);
        if (agent && !load_agent_state()) store_agent_state(*agent);
        execute("DROP TABLE kept_values");
        commit();
    } catch (...) {
        rollback();
        throw;
    }
}

void CallLogJournal::prune() {
    if (retention_days_ <= 0) return;
    Statement remove(db_, "DELETE FROM call_log WHERE acknowledged = 1 AND ended_ms < ?");
    remove.bind(1, to_ms(Clock::now()) - std::int64_t{retention_days_} * 24 * 3600 * 1000);
    remove.step();
}

}  // namespace cti
