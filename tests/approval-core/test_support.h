#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <future>
#include <memory>
#include <mutex>
#include <string>

#include "domain/approval_service.h"
#include "domain/clock.h"
#include "domain/id_generator.h"
#include "storage/sqlite_connection.h"
#include "storage/sqlite_request_store.h"

namespace gatehouse::core::testing {

// A clock that only moves when told to.
class FakeClock final : public Clock {
 public:
  absl::Time Now() override {
    std::lock_guard lock(mutex_);
    return now_;
  }
  void Advance(absl::Duration d) {
    std::lock_guard lock(mutex_);
    now_ += d;
  }

 private:
  std::mutex mutex_;
  absl::Time now_ = absl::FromUnixSeconds(1'800'000'000);
};

// "r0001", "r0002", ... in order.
class SequentialIds final : public IdGenerator {
 public:
  std::string NewId() override {
    const int n = ++count_;
    char id[16];
    std::snprintf(id, sizeof id, "r%04d", n);
    return id;
  }

 private:
  std::atomic<int> count_{0};
};

// A fresh database file in a fresh temporary directory, removed afterwards.
class TempDatabase {
 public:
  TempDatabase() {
    char pattern[] = "/tmp/gatehouse-test-XXXXXX";
    dir_ = mkdtemp(pattern);
    path_ = (dir_ / "gatehouse.db").string();
  }
  ~TempDatabase() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  const std::string& path() const { return path_; }
  std::unique_ptr<SqliteConnection> Open() const {
    auto connection = SqliteConnection::Open(path_);
    EXPECT_TRUE(connection.ok()) << connection.status();
    return connection.ok() ? *std::move(connection) : nullptr;
  }

 private:
  std::filesystem::path dir_;
  std::string path_;
};

// A real ApprovalService on a fresh SQLite file, with a fake clock and predictable ids.
struct ServiceHarness {
  explicit ServiceHarness(ApprovalSettings settings = {})
      : connection(db.Open()),
        store(*connection),
        service(store, clock, ids, std::move(settings)) {}

  TempDatabase db;
  std::unique_ptr<SqliteConnection> connection;
  SqliteRequestStore store;
  FakeClock clock;
  SequentialIds ids;
  ApprovalService service;
};

}  // namespace gatehouse::core::testing

namespace gatehouse::core {

// The service's calls as the tests make them: hook 2 waiting for its outcome, and each
// reviewer transition by name.
inline absl::StatusOr<ConnectorOutcome> RequestApproval(ApprovalService& service,
                                                        const Applicant& applicant) {
  std::promise<absl::StatusOr<ConnectorOutcome>> result;
  service.RequestApprovalAsync(applicant, [&result](absl::StatusOr<ConnectorOutcome> outcome) {
    result.set_value(std::move(outcome));
  });
  return result.get_future().get();
}
inline absl::StatusOr<ApprovalRequest> Approve(ApprovalService& service, std::string_view id,
                                               std::string_view actor, std::string_view reason,
                                               const ReturnedClaims& returned_claims = {}) {
  return service.Apply(ReviewAction::kApprove, id, actor, reason, returned_claims);
}
inline absl::StatusOr<ApprovalRequest> Deny(ApprovalService& service, std::string_view id,
                                            std::string_view actor, std::string_view reason) {
  return service.Apply(ReviewAction::kDeny, id, actor, reason);
}
inline absl::StatusOr<ApprovalRequest> Revoke(ApprovalService& service, std::string_view id,
                                              std::string_view actor, std::string_view reason) {
  return service.Apply(ReviewAction::kRevoke, id, actor, reason);
}
inline absl::StatusOr<ApprovalRequest> Reopen(ApprovalService& service, std::string_view id,
                                              std::string_view actor, std::string_view reason) {
  return service.Apply(ReviewAction::kReopen, id, actor, reason);
}

}  // namespace gatehouse::core
