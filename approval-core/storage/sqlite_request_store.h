#pragma once

#include <functional>
#include <vector>

#include "domain/request_store.h"
#include "storage/group_commit_writer.h"
#include "storage/sqlite_connection.h"

namespace gatehouse::core {

// RequestStore on SQLite: the SQL is SqliteRequestRepository's, the batching GroupCommitWriter's.
// A batch runs in one SQLite transaction, each of its transactions in a savepoint of its own (a
// failing one is rolled back alone), and one COMMIT, so one fsync (synchronous=FULL) makes the
// whole batch durable. Transactions start with BEGIN IMMEDIATE, so a writer in another process
// makes us wait rather than fail half-way. Reads run on the connection's read-only connections,
// beside the commits. SQLite's exceptions become UNAVAILABLE (busy, full, I/O, read-only) or
// INTERNAL.
class SqliteRequestStore final : public RequestStore {
 public:
  explicit SqliteRequestStore(SqliteConnection& connection);

  void TransactAllAsync(std::vector<Transaction> transactions) override;
  absl::Status Read(absl::FunctionRef<absl::Status(RequestRepository&)> work) override;
  void SetEventListener(std::function<void()> listener) override;

 private:
  // GroupCommitWriter::Commit, under the connection's mutex.
  bool CommitBatch(std::vector<GroupCommitWriter::Queued>& batch);

  SqliteConnection& connection_;
  GroupCommitWriter writer_;  // last: its thread may commit as soon as it exists
};

}  // namespace gatehouse::core
