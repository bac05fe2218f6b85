#pragma once

#include <SQLiteCpp/Database.h>

#include <memory>
#include <mutex>
#include <string>

#include "absl/status/statusor.h"

namespace gatehouse::core {

// Threading model: approval-core owns exactly one SQLite connection per database file and
// every use of it happens under `mutex()`. SQLite connections must not be used from two
// threads at once, and a single writer also makes each find-then-insert atomic without
// relying on SQLITE_BUSY retries. Other processes (`approval-core token …`) may open the same
// file; WAL mode plus a busy timeout lets them interleave safely.
class SqliteConnection {
 public:
  // Opens (creating if needed) the database at `path`, switches it to WAL with
  // synchronous=FULL (a commit is on disk when it returns), and migrates the schema.
  // FAILED_PRECONDITION if the file was written by a newer Gatehouse; UNAVAILABLE if it
  // cannot be opened.
  static absl::StatusOr<std::unique_ptr<SqliteConnection>> Open(const std::string& path);

  // OK when a write transaction can be started right now (then rolled back, writing nothing)
  // and the database's file system is writable with at least 1 MiB free; UNAVAILABLE with the
  // reason otherwise. Takes the mutex.
  absl::Status ProbeWritable();

  SQLite::Database& db() { return db_; }
  std::mutex& mutex() { return mutex_; }

 private:
  explicit SqliteConnection(SQLite::Database db) : db_(std::move(db)) {}

  SQLite::Database db_;
  std::mutex mutex_;
};

}  // namespace gatehouse::core
