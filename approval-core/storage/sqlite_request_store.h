#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "domain/request_store.h"
#include "storage/sqlite_connection.h"

namespace gatehouse::core {

// RequestStore on SQLite, with group commit on a writer thread of its own. Transactions queue
// up; the writer takes the whole queue and runs every one in one SQLite transaction, each in a
// savepoint of its own (a failing one is rolled back alone), and one COMMIT, so one fsync
// makes a whole batch durable. Each caller hears its own status after the commit that holds
// its work; if that commit fails, all of the batch fail. Nobody waits on a gRPC thread: hook 2
// hands its work over and is answered from the writer, so the batch grows with the load.
// Transactions start with BEGIN IMMEDIATE, so a writer in another process makes us wait
// rather than fail half-way. Reads run on the connection's readers, beside the writer.
class SqliteRequestStore final : public RequestStore {
 public:
  explicit SqliteRequestStore(SqliteConnection& connection);
  // Runs what is queued, then stops the writer.
  ~SqliteRequestStore() override;

  void TransactAllAsync(std::vector<Transaction> transactions) override;
  absl::Status Read(absl::FunctionRef<absl::Status(RequestRepository&)> work) override;

  // Called on the writer after each commit that appended to the audit log, before the
  // batch's callers hear (watchers, change notices). Set it before the first transaction.
  void SetEventListener(std::function<void()> listener);

 private:
  struct Queued {
    Transaction transaction;
    absl::Status result;
  };

  void WriterLoop();
  // Runs `batch` in one transaction (under the connection's mutex) and sets each result.
  // True when the commit appended to the audit log.
  bool RunBatch(std::vector<Queued>& batch);

  SqliteConnection& connection_;
  std::function<void()> listener_;
  std::mutex queue_mutex_;
  std::condition_variable queued_;
  std::vector<Queued> queue_;
  bool stopping_ = false;
  std::thread writer_;  // last: starts once everything above exists
};

}  // namespace gatehouse::core
