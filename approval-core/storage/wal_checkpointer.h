#pragma once

#include <SQLiteCpp/Database.h>
#include <sqlite3.h>

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "absl/status/statusor.h"

namespace gatehouse::core {

// Copies the write-ahead log back into the database file on a thread of its own, so that
// commits do not have to. SQLite checkpoints inside the commit that fills the WAL to its
// threshold; at 10,000 pages that held the commit, and every applicant queued behind it, for
// 10-40 ms, longer as the database grew (bench/run.sh, hook 2 at 32 connections: p99 from 10
// to 35 ms over 200,000 applicants). Here a PASSIVE checkpoint, which waits for no one and
// holds up no one, runs each time `step` more pages have been committed.
//
// SQLite starts the WAL over only when a writer finds all of it copied back, and beside a busy
// writer that never happens: each commit appends more. So the writer still checkpoints at
// `backstop` pages, as SQLite's automatic checkpoint would, but by then this thread has
// copied all but the last few hundred pages, and the writer's share is short.
class WalCheckpointer {
 public:
  // Opens a connection of its own to `writer`'s file, starts the thread and takes over
  // `writer`'s WAL hook. Call with `writer` idle. UNAVAILABLE if the connection cannot open.
  static absl::StatusOr<std::unique_ptr<WalCheckpointer>> Start(SQLite::Database& writer,
                                                                int step_pages,
                                                                int backstop_pages);
  // Stops the thread and gives `writer` back SQLite's automatic checkpoint at `backstop`
  // pages. Call with `writer` idle.
  ~WalCheckpointer();
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  // Checkpoints this thread has run, failed or not; for tests and diagnosis.
  uint64_t runs() const;

 private:
  WalCheckpointer(SQLite::Database& writer, SQLite::Database own, int step_pages,
                  int backstop_pages);
  // SQLite's WAL hook on the writer: runs after each commit, on the committing thread.
  static int AfterCommit(void* self, sqlite3* db, const char* schema, int wal_pages);
  void Loop();

  SQLite::Database& writer_;
  SQLite::Database own_;
  const int step_;
  const int backstop_;
  mutable std::mutex mutex_;
  std::condition_variable due_;
  int wal_pages_ = 0;  // in the WAL after the last commit
  int seen_ = 0;       // in the WAL when the last checkpoint began
  uint64_t runs_ = 0;
  bool stopping_ = false;
  std::thread thread_;  // last: starts once everything above is ready
};

}  // namespace gatehouse::core
