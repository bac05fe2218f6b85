#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "domain/request_store.h"

namespace gatehouse::core {

// Group commit for a RequestStore: transactions queued while a commit is under way are run
// together by the next one, so one durable sync serves them all and batches grow with the load.
//
// Who commits: a caller that finds nothing being committed runs its own transactions at once, on
// its own thread (no hand-over when the store is quiet); what arrives during a commit queues for
// the writer thread, which takes the whole queue once that commit is done. A caller thus waits
// for at most one commit, its own, and at most one thread besides the writer waits for the disk.
// Storage-neutral: `commit` says how a batch becomes one transaction.
class GroupCommitWriter {
 public:
  struct Queued {
    RequestStore::Transaction transaction;
    absl::Status result;  // set by `commit`
  };
  // Runs `batch` as one commit: each transaction all-or-nothing on its own (its `result` its
  // work's status, a failed one rolled back alone), all of them durable together; when the
  // commit itself fails, every result says so. True when the commit appended to the audit log.
  // Must not throw.
  using Commit = std::function<bool(std::vector<Queued>& batch)>;

  explicit GroupCommitWriter(Commit commit);
  // Runs what is queued, then stops the writer thread.
  ~GroupCommitWriter();
  GroupCommitWriter(const GroupCommitWriter&) = delete;
  GroupCommitWriter& operator=(const GroupCommitWriter&) = delete;

  // RequestStore::TransactAllAsync: queues `transactions` in order; each `done` is called with
  // its result after the commit that holds it, the event listener first.
  void Submit(std::vector<RequestStore::Transaction> transactions);
  void SetEventListener(std::function<void()> listener);

 private:
  void WriterLoop();
  // Commits `batch`, then tells `listener` (if events were appended) and each caller.
  void CommitAndAnswer(std::vector<Queued>& batch, const std::function<void()>& listener);

  const Commit commit_;
  std::function<void()> listener_;
  std::mutex mutex_;
  std::condition_variable queued_;
  std::vector<Queued> queue_;
  bool stopping_ = false;
  bool committing_ = false;  // a batch is being committed, by the writer or by a caller
  std::thread writer_;       // last: starts once everything above exists
};

}  // namespace gatehouse::core
