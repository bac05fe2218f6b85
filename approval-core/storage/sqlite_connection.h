#pragma once

#include <SQLiteCpp/Database.h>

#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "storage/statement_cache.h"

namespace gatehouse::core {

// Threading model: approval-core owns one writing SQLite connection per database file, and
// every use of it happens under `mutex()`. SQLite connections must not be used from two
// threads at once, and a single writer also makes each find-then-insert atomic without
// relying on SQLITE_BUSY retries. Reads go to separate read-only connections (`Read`): in WAL
// mode they see the last commit and never wait for one in progress, so a lookup is not held
// up by a write transaction's fsync. Other processes (`approval-core token …`) may open the
// same file; WAL mode plus a busy timeout lets them interleave safely.
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

  // Runs `read` in a read transaction on a read-only connection to the same file (opened on
  // first need; a few are kept so concurrent lookups do not queue). `read` must not write.
  // UNAVAILABLE if no reader can be opened; SQLite errors thrown by `read` propagate.
  absl::Status Read(absl::FunctionRef<absl::Status(SqliteConnection& reader)> read);

  // Runs `write` under `mutex()`; a storage exception becomes UNAVAILABLE naming `what`.
  template <typename Write>
  auto Locked(const char* what, Write write) -> decltype(write()) {
    std::lock_guard lock(mutex_);
    try {
      return write();
    } catch (const std::exception& e) {
      return absl::UnavailableError(absl::StrCat(what, ": ", e.what()));
    }
  }

  // Runs `query` on a reader (see Read) and returns what it returns; a storage exception
  // becomes UNAVAILABLE naming `what`. For reads that must not hold up the writer.
  template <typename Query>
  auto Reading(const char* what, Query query)
      -> decltype(query(std::declval<SqliteConnection&>())) {
    decltype(query(std::declval<SqliteConnection&>())) result;
    try {
      absl::Status read = Read([&](SqliteConnection& reader) {
        result = query(reader);
        return absl::OkStatus();
      });
      if (!read.ok()) return read;
    } catch (const std::exception& e) {
      return absl::UnavailableError(absl::StrCat(what, ": ", e.what()));
    }
    return result;
  }

  SQLite::Database& db() { return db_; }
  std::mutex& mutex() { return mutex_; }
  // Prepared statements of this connection; use under `mutex()` (readers: inside `Read`).
  StatementCache& statements() { return statements_; }

 private:
  explicit SqliteConnection(SQLite::Database db) : db_(std::move(db)), statements_(db_) {}

  // A reader not in use, opened if none is free and fewer than kMaxReaders exist.
  absl::StatusOr<std::unique_ptr<SqliteConnection>> TakeReader();
  void ReturnReader(std::unique_ptr<SqliteConnection> reader);

  SQLite::Database db_;
  std::mutex mutex_;
  StatementCache statements_;

  std::mutex readers_mutex_;
  std::condition_variable reader_returned_;
  std::vector<std::unique_ptr<SqliteConnection>> idle_readers_;
  int open_readers_ = 0;
};

}  // namespace gatehouse::core
