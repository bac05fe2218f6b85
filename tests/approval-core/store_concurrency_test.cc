// The store's threading: reads beside a write in progress, who commits (the caller when the
// store is idle, the writer thread for what queues meanwhile), and the statement cache under
// nesting.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <future>
#include <thread>
#include <vector>

#include "domain/approval_service.h"
#include "storage/sqlite_request_store.h"
#include "storage/statement_cache.h"
#include "test_support.h"

namespace gatehouse::core {
namespace {

using testing::ServiceHarness;

int CountCommit(void* counter) {
  ++*static_cast<int*>(counter);
  return 0;  // let it commit
}

// A transaction that stays open until released, to hold the store's commits. Queued from a
// thread of its own: with nothing being committed, the store runs it on the caller's thread.
class HeldTransaction {
 public:
  explicit HeldTransaction(RequestStore& store, RequestStore::Work work = {})
      : caller_([this, &store, work] {
          store.TransactAsync(
              [this, work](RequestRepository& repo) {
                absl::Status status = work ? work(repo) : absl::OkStatus();
                started_.set_value();
                release_.get_future().wait();
                return status;
              },
              [this](absl::Status status) { done_.set_value(status); });
        }) {
    started_.get_future().wait();
  }
  ~HeldTransaction() { caller_.join(); }
  absl::Status Release() {
    release_.set_value();
    return done_.get_future().get();
  }

 private:
  std::promise<void> started_, release_;
  std::promise<absl::Status> done_;
  std::thread caller_;  // last: starts once the promises exist
};

using Outcomes = std::vector<std::promise<absl::StatusOr<ConnectorOutcome>>>;

// Hook 2 for applicant-0, applicant-1, … without waiting; each outcome lands in its promise.
void QueueApplicants(ApprovalService& service, Outcomes& outcomes) {
  for (size_t i = 0; i < outcomes.size(); ++i) {
    service.RequestApprovalAsync(
        Applicant{.email = "applicant-" + std::to_string(i) + "@example.com"},
        [&outcomes, i](absl::StatusOr<ConnectorOutcome> outcome) {
          outcomes[i].set_value(std::move(outcome));
        });
  }
}

TEST(StoreConcurrencyTest, ReadsSeeTheLastCommitWithoutWaitingForATransactionInProgress) {
  ServiceHarness h;
  auto first = RequestApproval(h.service, Applicant{.email = "first@example.com"});
  ASSERT_TRUE(first.ok()) << first.status();
  ApprovalRequest model = *h.service.Get(*first->request_id);
  model.id = "inflight";
  model.applicant.email = "inflight@example.com";

  HeldTransaction held(h.store, [&](RequestRepository& repo) { return repo.Insert(model); });
  // The writer sits inside a transaction that has written; a read still answers, from the
  // last commit.
  auto committed = h.service.Get(*first->request_id);
  EXPECT_TRUE(committed.ok()) << committed.status();
  EXPECT_TRUE(absl::IsNotFound(h.service.Get("inflight").status()));
  auto looked_up = h.service.CheckApprovalStatus(Applicant{.email = "inflight@example.com"});
  ASSERT_TRUE(looked_up.ok());
  EXPECT_EQ(looked_up->action, ConnectorAction::kContinue);  // nobody known yet
  ASSERT_TRUE(held.Release().ok());
  EXPECT_TRUE(h.service.Get("inflight").ok());
}

TEST(StoreConcurrencyTest, WorkQueuedDuringACommitSharesTheNextOne) {
  ServiceHarness h;
  int commits = 0;
  sqlite3_commit_hook(h.connection->db().getHandle(), CountCommit, &commits);
  Outcomes outcomes(10);
  std::vector<std::future<absl::StatusOr<ConnectorOutcome>>> answers;
  for (auto& outcome : outcomes) answers.push_back(outcome.get_future());
  {
    HeldTransaction held(h.store);
    // Returns at once: with a commit under way, the calls queue for the writer thread instead
    // of waiting on this one.
    QueueApplicants(h.service, outcomes);
    for (auto& answer : answers) {
      EXPECT_EQ(answer.wait_for(std::chrono::seconds(0)), std::future_status::timeout);
    }
    ASSERT_TRUE(held.Release().ok());
  }
  for (auto& answer : answers) {
    auto answered = answer.get();
    ASSERT_TRUE(answered.ok()) << answered.status();
    EXPECT_EQ(answered->reason, BlockReason::kRequested);
  }
  sqlite3_commit_hook(h.connection->db().getHandle(), nullptr, nullptr);
  EXPECT_EQ(commits, 2) << "the held transaction, then the ten queued behind it in one";
  RequestQuery all;
  all.limit = 100;
  EXPECT_EQ(h.service.List(all)->requests.size(), 10u);
}

TEST(StoreConcurrencyTest, AnIdleStoreCommitsOnTheCallersThreadBeforeReturning) {
  ServiceHarness h;
  const std::thread::id caller = std::this_thread::get_id();
  std::thread::id worked_on, answered_on;
  absl::Status answered = absl::UnknownError("not answered");
  h.store.TransactAsync(
      [&](RequestRepository&) {
        worked_on = std::this_thread::get_id();
        return absl::OkStatus();
      },
      [&](absl::Status status) {
        answered_on = std::this_thread::get_id();
        answered = status;
      });
  // No hand-over to the writer thread: the work was committed and answered right here.
  EXPECT_TRUE(answered.ok()) << answered;
  EXPECT_EQ(worked_on, caller);
  EXPECT_EQ(answered_on, caller);
}

TEST(StoreConcurrencyTest, ApplicantsAskedForTogetherAreRecordedInOrderInOneCommit) {
  ServiceHarness h;
  int commits = 0;
  sqlite3_commit_hook(h.connection->db().getHandle(), CountCommit, &commits);
  // Without a held transaction: handed over at once, they are committed together, on this
  // thread.
  std::vector<Applicant> applicants;
  for (int i = 0; i < 6; ++i) {
    applicants.push_back(Applicant{.email = "together-" + std::to_string(i) + "@example.com"});
  }
  applicants[2] = Applicant{.display_name = "nobody to recognise"};
  applicants[4] = applicants[1];  // asked twice in the same batch
  Outcomes outcomes(applicants.size());
  h.service.RequestApprovalsAsync(applicants,
                                  [&outcomes](size_t i, absl::StatusOr<ConnectorOutcome> outcome) {
                                    outcomes[i].set_value(std::move(outcome));
                                  });
  std::vector<absl::StatusOr<ConnectorOutcome>> answered;
  for (auto& outcome : outcomes) answered.push_back(outcome.get_future().get());
  sqlite3_commit_hook(h.connection->db().getHandle(), nullptr, nullptr);
  EXPECT_EQ(commits, 1);
  for (size_t i : {0u, 1u, 3u, 5u}) {
    ASSERT_TRUE(answered[i].ok()) << i << ": " << answered[i].status();
    EXPECT_EQ(answered[i]->reason, BlockReason::kRequested) << i;
  }
  EXPECT_EQ(answered[2]->action, ConnectorAction::kInvalid);
  ASSERT_TRUE(answered[4].ok()) << answered[4].status();
  EXPECT_EQ(answered[4]->reason, BlockReason::kPending);
  EXPECT_EQ(answered[4]->request_id, answered[1]->request_id);
  RequestQuery all;
  all.limit = 100;
  EXPECT_EQ(h.service.List(all)->requests.size(), 4u);
}

int RefuseCommit(void*) { return 1; }  // SQLite turns the COMMIT into a rollback

TEST(StoreConcurrencyTest, AFailedCommitFailsEveryCallerOfItsBatchAndKeepsNothing) {
  ServiceHarness h;
  Outcomes outcomes(3);
  {
    HeldTransaction held(h.store);
    QueueApplicants(h.service, outcomes);
    sqlite3_commit_hook(h.connection->db().getHandle(), RefuseCommit, nullptr);
    EXPECT_FALSE(held.Release().ok());
  }
  for (auto& outcome : outcomes) {
    auto answered = outcome.get_future().get();
    EXPECT_TRUE(absl::IsInternal(answered.status())) << answered.status();
  }
  sqlite3_commit_hook(h.connection->db().getHandle(), nullptr, nullptr);
  RequestQuery all;
  EXPECT_TRUE(h.service.List(all)->requests.empty());
  // The store carries on once commits work again.
  EXPECT_TRUE(RequestApproval(h.service, Applicant{.email = "applicant-0@example.com"}).ok());
  EXPECT_EQ(h.service.List(all)->requests.size(), 1u);
}

TEST(StatementCacheTest, ReusesStatementsAndGivesANestedUseItsOwn) {
  ServiceHarness h;
  StatementCache& cache = h.connection->statements();
  SQLite::Statement* first = nullptr;
  {
    auto outer = cache.Get("SELECT 1 UNION ALL SELECT 2");
    first = &*outer;
    ASSERT_TRUE(outer->executeStep());  // left half-read
    auto nested = cache.Get("SELECT 1 UNION ALL SELECT 2");
    EXPECT_NE(&*nested, first);
    ASSERT_TRUE(nested->executeStep());
    EXPECT_EQ(nested->getColumn(0).getInt(), 1);
    ASSERT_TRUE(outer->executeStep());
    EXPECT_EQ(outer->getColumn(0).getInt(), 2);
  }
  auto again = cache.Get("SELECT 1 UNION ALL SELECT 2");
  EXPECT_EQ(&*again, first);
  // Returned reset: it starts from the first row, and holds no read transaction meanwhile.
  EXPECT_FALSE(again->hasRow());
  sqlite3* handle = h.connection->db().getHandle();
  for (sqlite3_stmt* s = sqlite3_next_stmt(handle, nullptr); s; s = sqlite3_next_stmt(handle, s)) {
    EXPECT_EQ(sqlite3_stmt_busy(s), 0) << sqlite3_sql(s);
  }
  ASSERT_TRUE(again->executeStep());
  EXPECT_EQ(again->getColumn(0).getInt(), 1);
}

}  // namespace
}  // namespace gatehouse::core
