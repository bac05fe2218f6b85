// GroupCommitWriter with a commit of the test's own (no database): which thread commits, what
// goes together and in what order, and who hears what, when.
#include "storage/group_commit_writer.h"

#include <gtest/gtest.h>

#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace gatehouse::core {
namespace {

// The transactions here never touch their repository.
class UnusedRepository final : public RequestRepository {
  absl::Status No() { return absl::UnimplementedError("not in this test"); }

 public:
  absl::StatusOr<std::optional<ApprovalRequest>> FindLatestByIdentity(
      const std::vector<FederatedIdentity>&) override {
    return No();
  }
  absl::StatusOr<std::optional<ApprovalRequest>> FindLatestByEmail(std::string_view,
                                                                   bool) override {
    return No();
  }
  absl::StatusOr<std::optional<ApprovalRequest>> FindById(std::string_view) override {
    return No();
  }
  absl::Status Insert(const ApprovalRequest&) override { return No(); }
  absl::Status Update(const ApprovalRequest&, int64_t) override { return No(); }
  absl::StatusOr<int64_t> AppendEvent(const AuditEvent&) override { return No(); }
  absl::StatusOr<RequestPage> List(const RequestQuery&) override { return No(); }
  absl::StatusOr<std::vector<ApprovalRequest>> ListPendingSince(absl::Time, int) override {
    return No();
  }
  absl::StatusOr<std::vector<ApprovalRequest>> ListPurgeable(absl::Time, int) override {
    return No();
  }
  absl::Status Purge(std::string_view, absl::Time) override { return No(); }
  absl::StatusOr<std::vector<AuditEvent>> ListEvents(const EventQuery&) override { return No(); }
  absl::StatusOr<std::vector<Change>> ListChanges(int64_t, int) override { return No(); }
};

// What happened, in order, from every thread.
class Log {
 public:
  void Add(std::string entry) {
    std::lock_guard lock(mutex_);
    entries_.push_back(std::move(entry));
  }
  std::vector<std::string> entries() {
    std::lock_guard lock(mutex_);
    return entries_;
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> entries_;
};

// A commit that runs each transaction's work, logs the batch, and fails when told to.
struct Harness {
  Harness()
      : writer([this](std::vector<GroupCommitWriter::Queued>& batch) {
          std::string names;
          for (GroupCommitWriter::Queued& queued : batch) {
            queued.result = queued.transaction.work(repository);
          }
          for (GroupCommitWriter::Queued& queued : batch) names += queued.result.ok() ? "+" : "-";
          log.Add("commit " + names);
          if (fail_commit) {
            for (GroupCommitWriter::Queued& queued : batch) {
              if (queued.result.ok()) queued.result = absl::UnavailableError("disk full");
            }
            return false;
          }
          return true;
        }) {
    writer.SetEventListener([this] { log.Add("listener"); });
  }

  // A transaction named `name` whose work returns `result`, logging its work and its answer.
  RequestStore::Transaction Named(const std::string& name, absl::Status result = absl::OkStatus(),
                                  std::shared_future<void> hold = {}) {
    return {[this, name, result, hold](RequestRepository&) {
              log.Add("work " + name);
              if (hold.valid()) hold.wait();
              return result;
            },
            [this, name](absl::Status status) {
              log.Add("done " + name + (status.ok() ? " ok" : " " + std::string(status.message())));
            }};
  }

  void Submit(RequestStore::Transaction transaction) {
    std::vector<RequestStore::Transaction> one;
    one.push_back(std::move(transaction));
    writer.Submit(std::move(one));
  }

  UnusedRepository repository;
  Log log;
  bool fail_commit = false;
  GroupCommitWriter writer;
};

TEST(GroupCommitWriterTest, AQuietWriterCommitsOnTheCallersThreadBeforeSubmitReturns) {
  Harness h;
  std::thread::id worked_on;
  h.writer.Submit({{[&](RequestRepository&) {
                      worked_on = std::this_thread::get_id();
                      return absl::OkStatus();
                    },
                    [&](absl::Status) { h.log.Add("done"); }}});
  EXPECT_EQ(worked_on, std::this_thread::get_id());
  EXPECT_EQ(h.log.entries(), (std::vector<std::string>{"commit +", "listener", "done"}));
}

TEST(GroupCommitWriterTest, WhatArrivesDuringACommitSharesTheNextOneInOrder) {
  Harness h;
  std::promise<void> release;
  std::shared_future<void> hold = release.get_future().share();
  std::thread first([&] { h.Submit(h.Named("a", absl::OkStatus(), hold)); });
  while (h.log.entries().empty()) std::this_thread::yield();  // "work a": a commit is under way
  // These queue (Submit returns at once) and go together once the first commit is done.
  h.writer.Submit({h.Named("b"), h.Named("c", absl::AbortedError("conflict"))});
  h.Submit(h.Named("d"));
  EXPECT_EQ(h.log.entries(), (std::vector<std::string>{"work a"}));
  release.set_value();
  first.join();
  const std::vector<std::string> expected = {
      "work a", "commit +",   "listener", "done a ok", "work b",          "work c",
      "work d", "commit +-+", "listener", "done b ok", "done c conflict", "done d ok"};
  // The writer thread answers the second batch; wait for it, bounded.
  for (int i = 0; i < 5000 && h.log.entries().size() < expected.size(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_EQ(h.log.entries(), expected);
}

TEST(GroupCommitWriterTest, AFailedCommitFailsEveryTransactionAndSignalsNothing) {
  Harness h;
  h.fail_commit = true;
  h.writer.Submit({h.Named("a"), h.Named("b", absl::AbortedError("conflict"))});
  EXPECT_EQ(h.log.entries(), (std::vector<std::string>{"work a", "work b", "commit +-",
                                                       "done a disk full", "done b conflict"}));
}

TEST(GroupCommitWriterTest, WhatIsQueuedIsCommittedBeforeTheWriterStops) {
  Log log;
  std::promise<void> release;
  std::shared_future<void> hold = release.get_future().share();
  std::thread first;
  {
    auto writer =
        std::make_unique<GroupCommitWriter>([](std::vector<GroupCommitWriter::Queued>& batch) {
          UnusedRepository repository;
          for (auto& queued : batch) queued.result = queued.transaction.work(repository);
          return false;
        });
    auto transaction = [&](std::string name, bool wait) -> RequestStore::Transaction {
      return {[&, name, wait](RequestRepository&) {
                log.Add("work " + name);
                if (wait) hold.wait();
                return absl::OkStatus();
              },
              [&, name](absl::Status) { log.Add("done " + name); }};
    };
    first = std::thread([&] { writer->Submit({transaction("a", true)}); });
    while (log.entries().empty()) std::this_thread::yield();
    writer->Submit({transaction("b", false)});
    release.set_value();
    first.join();
    writer.reset();  // must not return before "b" is answered
  }
  const std::vector<std::string> entries = log.entries();
  ASSERT_EQ(entries.size(), 4u);
  EXPECT_EQ(entries.back(), "done b");
}

}  // namespace
}  // namespace gatehouse::core
