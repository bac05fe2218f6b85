#include "storage/sqlite_connection.h"

#include <exception>

#include "absl/strings/str_cat.h"
#include "storage/schema.h"

namespace gatehouse::core {
namespace {

constexpr int kBusyTimeoutMs = 5000;

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteConnection>> SqliteConnection::Open(const std::string& path) {
  try {
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, kBusyTimeoutMs);
    db.exec("PRAGMA journal_mode = WAL");
    // FULL: the WAL is synced on every commit, so "recorded" survives power loss.
    db.exec("PRAGMA synchronous = FULL");
    db.exec("PRAGMA foreign_keys = ON");
    if (absl::Status migrated = MigrateSchema(db); !migrated.ok()) return migrated;
    return std::unique_ptr<SqliteConnection>(new SqliteConnection(std::move(db)));
  } catch (const std::exception& e) {
    return absl::UnavailableError(absl::StrCat("cannot open database ", path, ": ", e.what()));
  }
}

absl::Status SqliteConnection::ProbeWritable() {
  std::lock_guard lock(mutex_);
  try {
    db_.exec("BEGIN IMMEDIATE");
    db_.exec("ROLLBACK");
    return absl::OkStatus();
  } catch (const std::exception& e) {
    db_.tryExec("ROLLBACK");
    return absl::UnavailableError(e.what());
  }
}

}  // namespace gatehouse::core
