#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "domain/request_store.h"
#include "storage/sqlite_connection.h"

namespace gatehouse::core {

// RequestRepository in SQL on one SQLite connection (schema.cc), inside a transaction or a
// read snapshot its caller holds; SQLiteCpp's exceptions pass through to that caller
// (SqliteRequestStore turns them into statuses). Applicants are matched on the keys of
// matching_keys.h. Statements come prepared from the connection's cache.
class SqliteRequestRepository final : public RequestRepository {
 public:
  explicit SqliteRequestRepository(SqliteConnection& connection)
      : db_(connection.db()), statements_(connection.statements()) {}

  // Whether this transaction wrote to the audit log (watchers are told after the commit).
  bool appended_events() const { return appended_events_; }

  absl::StatusOr<std::optional<ApprovalRequest>> FindLatestByIdentity(
      const std::vector<FederatedIdentity>& identities) override;
  absl::StatusOr<std::optional<ApprovalRequest>> FindLatestByEmail(std::string_view email,
                                                                   bool verified_only) override;
  absl::StatusOr<std::optional<ApprovalRequest>> FindById(std::string_view id) override;
  absl::Status Insert(const ApprovalRequest& request) override;
  absl::Status Update(const ApprovalRequest& request, int64_t expected_version) override;
  absl::StatusOr<int64_t> AppendEvent(const AuditEvent& event) override;
  absl::StatusOr<RequestPage> List(const RequestQuery& query) override;
  absl::StatusOr<std::vector<ApprovalRequest>> ListPendingSince(absl::Time cutoff,
                                                                int limit) override;
  absl::StatusOr<std::vector<ApprovalRequest>> ListPurgeable(absl::Time cutoff, int limit) override;
  absl::Status Purge(std::string_view id, absl::Time when) override;
  absl::StatusOr<std::vector<AuditEvent>> ListEvents(const EventQuery& query) override;
  absl::StatusOr<std::vector<Change>> ListChanges(int64_t after_revision, int limit) override;

 private:
  // Requests matching `where_and_order` (with a :cutoff parameter), at most `limit`.
  absl::StatusOr<std::vector<ApprovalRequest>> ListBefore(const char* where_and_order,
                                                          absl::Time cutoff, int limit);
  // Replaces the request's returned claims with `claims`.
  void ReplaceReturnedClaims(int64_t seq, const ReturnedClaims& claims);
  void InsertReturnedClaims(int64_t seq, const ReturnedClaims& claims);
  // Binds the fields that change over a request's life to their named parameters.
  static void BindMutable(SQLite::Statement& statement, const ApprovalRequest& r);
  // The request in the columns kRequestColumns (first in `row`), with its identities and
  // returned claims.
  absl::StatusOr<ApprovalRequest> ReadRequest(SQLite::Statement& row);
  // The event in the columns kEventColumns, from column `first` of `row`.
  static absl::StatusOr<AuditEvent> ReadEvent(SQLite::Statement& row, int first);

  SQLite::Database& db_;
  StatementCache& statements_;
  bool appended_events_ = false;
};

}  // namespace gatehouse::core
