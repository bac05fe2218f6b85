#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "domain/request_store.h"
#include "storage/sqlite_connection.h"

namespace gatehouse::core {

// RequestStore on SQLite, with group commit. A batch runs in one SQLite transaction, each of
// its transactions in a savepoint of its own (a failing one is rolled back alone), and one
// COMMIT, so one fsync makes the whole batch durable. Each caller hears its own status after
// the commit that holds its work; if that commit fails, all of the batch fail.
//
// Who commits: a caller that finds nothing being committed runs its batch at once on its own
// thread (for hook 2, a gRPC thread), so a quiet store costs no hand-over; what arrives while
// a commit is under way queues for the writer thread, which takes the whole queue once that
// commit is done, so batches grow with the load. A caller thus waits for at most one commit,
// its own, and at most one thread outside the writer waits for the disk at a time. (Waking the
// writer for every batch cost hook 2 a tenth of its throughput at 16 connections on a 2-core
// machine: bench/run.sh.)
// Transactions start with BEGIN IMMEDIATE, so a writer in another process makes us wait
// rather than fail half-way. Reads run on the connection's readers, beside the commits.
class SqliteRequestStore final : public RequestStore {
 public:
  explicit SqliteRequestStore(SqliteConnection& connection);
  // Runs what is queued, then stops the writer.
  ~SqliteRequestStore() override;

  void TransactAllAsync(std::vector<Transaction> transactions) override;
  absl::Status Read(absl::FunctionRef<absl::Status(RequestRepository&)> work) override;

  // Called on the committing thread after each commit that appended to the audit log, before the
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
  // RunBatch, then tells `listener` (listener_, copied when the batch was taken, under the
  // queue's mutex) and each caller. Called with committing_ set.
  void CommitAndAnswer(std::vector<Queued>& batch, const std::function<void()>& listener);

  SqliteConnection& connection_;
  std::function<void()> listener_;
  std::mutex queue_mutex_;
  std::condition_variable queued_;
  std::vector<Queued> queue_;
  bool stopping_ = false;
  bool committing_ = false;  // a batch is being run, by the writer or by a caller
  std::thread writer_;       // last: starts once everything above exists
};

}  // namespace gatehouse::core
