#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <vector>

#include "domain/request_store.h"
#include "storage/sqlite_connection.h"

namespace gatehouse::core {

// RequestStore on SQLite, with group commit. Callers that arrive while a transaction commits
// are queued; the next of them to run takes the whole queue and runs every caller's work in one
// transaction, each in a savepoint of its own (a failing work is rolled back alone), and one
// COMMIT, so one fsync makes a whole batch durable. Every caller returns only after the commit
// that holds its work, with its own status; if that commit fails, all of the batch fail.
// Transactions take the connection's mutex (see SqliteConnection for the threading model) and
// start with BEGIN IMMEDIATE, so a writer in another process makes us wait rather than fail
// half-way.
class SqliteRequestStore final : public RequestStore {
 public:
  explicit SqliteRequestStore(SqliteConnection& connection) : connection_(connection) {}

  absl::Status Transact(absl::FunctionRef<absl::Status(RequestRepository&)> work) override;

  // Called, outside the lock, after each commit that appended to the audit log (watchers).
  void SetEventListener(std::function<void()> listener) { listener_ = std::move(listener); }

 private:
  // One caller's work waiting in the queue; it lives on that caller's stack.
  struct Queued {
    absl::FunctionRef<absl::Status(RequestRepository&)> work;
    absl::Status result;
    bool done = false;
  };

  // Runs `batch` in one transaction (under the connection's mutex) and sets each result.
  // True when the commit appended to the audit log.
  bool RunBatch(const std::vector<Queued*>& batch);

  SqliteConnection& connection_;
  std::function<void()> listener_;
  std::mutex queue_mutex_;
  std::condition_variable batch_done_;
  std::vector<Queued*> queue_;
  bool committing_ = false;  // a caller is running a batch
};

}  // namespace gatehouse::core
