#include "storage/group_commit_writer.h"

#include <utility>

namespace gatehouse::core {

GroupCommitWriter::GroupCommitWriter(Commit commit)
    : commit_(std::move(commit)), writer_([this] { WriterLoop(); }) {}

GroupCommitWriter::~GroupCommitWriter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  queued_.notify_one();
  writer_.join();
}

void GroupCommitWriter::SetEventListener(std::function<void()> listener) {
  std::lock_guard lock(mutex_);
  listener_ = std::move(listener);
}

void GroupCommitWriter::Submit(std::vector<RequestStore::Transaction> transactions) {
  std::vector<Queued> batch;
  std::function<void()> listener;
  {
    std::lock_guard lock(mutex_);
    for (RequestStore::Transaction& transaction : transactions) {
      queue_.push_back(Queued{std::move(transaction), absl::OkStatus()});
    }
    if (committing_ || stopping_) {  // the writer takes it after the commit under way
      queued_.notify_one();
      return;
    }
    committing_ = true;
    batch.swap(queue_);
    listener = listener_;
  }
  // Nothing is being committed: this thread commits at once instead of waking the writer
  // (bench/FINDINGS.md: waking it for every batch cost hook 2 a tenth of its throughput). Only
  // this one batch, so the caller waits for one commit at most.
  CommitAndAnswer(batch, listener);
  std::lock_guard lock(mutex_);
  committing_ = false;
  if (!queue_.empty()) queued_.notify_one();
}

void GroupCommitWriter::WriterLoop() {
  std::vector<Queued> batch;
  std::unique_lock lock(mutex_);
  while (true) {
    queued_.wait(lock, [this] { return !committing_ && (stopping_ || !queue_.empty()); });
    if (queue_.empty()) return;  // stopping, and nothing left to run
    committing_ = true;
    batch.swap(queue_);
    const std::function<void()> listener = listener_;
    lock.unlock();
    CommitAndAnswer(batch, listener);
    lock.lock();
    committing_ = false;
  }
}

void GroupCommitWriter::CommitAndAnswer(std::vector<Queued>& batch,
                                        const std::function<void()>& listener) {
  const bool appended_events = commit_(batch);
  // Told once per commit, before the callers hear: when a reviewer's revoke returns, the
  // watchers have been signalled.
  if (appended_events && listener) listener();
  for (Queued& queued : batch) queued.transaction.done(queued.result);
  batch.clear();  // the callers' closures go now, not with the next batch
}

}  // namespace gatehouse::core
