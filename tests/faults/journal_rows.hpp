// What a call-log journal holds on disk, read with SQLite itself after the adapter is gone: the
// proof that a record was flushed, independent of the adapter's own reading of it.
#pragma once

#include <map>
#include <stdexcept>
#include <string>

#include <sqlite3.h>

#include <catch2/catch.hpp>

namespace cti::test {

struct JournalRow {
    std::string end_reason;
    bool acknowledged = false;
};

struct JournalContents {
    std::string integrity;                      // PRAGMA integrity_check: "ok" when intact
    std::map<std::string, JournalRow> logs;     // by log_id
    int open_calls = 0;                         // calls kept while up, not logged yet
};

inline JournalContents read_journal(const std::string& file) {
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
        sqlite3_close(db);
        throw std::runtime_error("cannot open the journal " + file);
    }
    JournalContents contents;
    auto each_row = [db](const char* sql, auto on_row) {
        sqlite3_stmt* statement = nullptr;
        if (sqlite3_prepare_v2(db, sql, -1, &statement, nullptr) != SQLITE_OK)
            throw std::runtime_error(std::string("journal query failed: ") + sqlite3_errmsg(db));
        while (sqlite3_step(statement) == SQLITE_ROW) on_row(statement);
        sqlite3_finalize(statement);
    };
    auto text = [](sqlite3_stmt* row, int column) {
        const auto* value = sqlite3_column_text(row, column);
        return value ? std::string(reinterpret_cast<const char*>(value)) : std::string();
    };
    each_row("PRAGMA integrity_check", [&](sqlite3_stmt* row) { contents.integrity += text(row, 0); });
    each_row("SELECT log_id, end_reason, acknowledged FROM call_log", [&](sqlite3_stmt* row) {
        contents.logs[text(row, 0)] = {text(row, 1), sqlite3_column_int(row, 2) != 0};
    });
    each_row("SELECT count(*) FROM open_calls", [&](sqlite3_stmt* row) { contents.open_calls = sqlite3_column_int(row, 0); });
    sqlite3_close(db);
    return contents;
}

// After the adapter has exited: the journal is intact, no call is left open, and it holds each
// expected call log (log_id -> end_reason).
inline void check_journal_after_exit(const std::string& file, const std::map<std::string, std::string>& expected) {
    const auto journal = read_journal(file);
    CHECK(journal.integrity == "ok");
    CHECK(journal.open_calls == 0);
    for (const auto& [log_id, reason] : expected) {
        INFO("call " << log_id);
        REQUIRE(journal.logs.count(log_id) == 1);
        CHECK(journal.logs.at(log_id).end_reason == reason);
    }
}

}  // namespace cti::test
