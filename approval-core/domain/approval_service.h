#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/applicant.h"
#include "domain/approval_request.h"
#include "domain/clock.h"
#include "domain/connector_outcome.h"
#include "domain/id_generator.h"
#include "domain/policy.h"
#include "domain/request_store.h"
#include "domain/review_action.h"

namespace gatehouse::core {

struct ApprovalSettings {
  // A pending request nobody decided within this long expires; the applicant may then ask
  // again. Counted from when it entered (or re-entered) the queue. Days, not hours: reviewers
  // take weekends off.
  absl::Duration pending_ttl = absl::Hours(24 * 30);
  // Rules that decide new applicants without a reviewer.
  Policy policy;
  // The applicant's personal data is removed this long after a decision (approved, denied,
  // revoked or expired); zero keeps it forever. What stays still recognizes the applicant, so
  // a denied applicant stays blocked.
  absl::Duration retention = absl::ZeroDuration();
  // Identity providers trusted to assert only addresses their users own (their `issuer`, as
  // the platform sends it); see EmailIsVerified. Empty: only the platform's own checks count.
  std::vector<std::string> verified_email_issuers;
};

// The approval model of design.md §4: the connector decision table and reviewer decisions.
// Thread-safe: all state lives in the store, whose transactions are serialized.
class ApprovalService {
 public:
  ApprovalService(RequestStore& store, Clock& clock, IdGenerator& ids,
                  ApprovalSettings settings = {});

  // Hook 1 ("after federating"). Records nothing; a new applicant matching an auto-deny rule
  // is blocked already here.
  absl::StatusOr<ConnectorOutcome> CheckApprovalStatus(const Applicant& applicant);

  // Hook 2 ("before creating the user"). Creates a request when the applicant has none (or
  // only an expired one): decided by the first matching policy rule, else pending. Otherwise
  // counts an attempt. Find-and-create runs in one transaction, so concurrent retries of the
  // same call create one request. `done` gets the outcome once it is durable, on the thread that
  // commits it (see RequestStore::TransactAsync for which, and what `done` may do there).
  using OutcomeCallback = std::function<void(absl::StatusOr<ConnectorOutcome>)>;
  void RequestApprovalAsync(const Applicant& applicant, OutcomeCallback done);
  // RequestApprovalAsync for several applicants, recorded in order in transactions of their
  // own that share one commit: `done(i, outcome)` for the i-th, once it is durable.
  using IndexedOutcomeCallback = std::function<void(size_t, absl::StatusOr<ConnectorOutcome>)>;
  void RequestApprovalsAsync(const std::vector<Applicant>& applicants, IndexedOutcomeCallback done);

  // NOT_FOUND for an unknown id.
  absl::StatusOr<ApprovalRequest> Get(std::string_view id);

  absl::StatusOr<RequestPage> List(const RequestQuery& query);

  // The audit log, in revision order. NOT_FOUND when `query.request_id` names no request.
  absl::StatusOr<std::vector<AuditEvent>> ListEvents(const EventQuery& query);
  // Up to `limit` events after `after_revision`, each with its request as it is now, in
  // revision order, from one snapshot. INVALID_ARGUMENT for a limit below 1.
  absl::StatusOr<std::vector<Change>> ListChanges(int64_t after_revision, int limit);

  // For status queries: the latest request sharing one of the applicant's identities; without
  // identities, the latest whose verified email is the applicant's, else the latest with that
  // email at all. NOT_FOUND if none, INVALID_ARGUMENT if the applicant has neither.
  absl::StatusOr<ApprovalRequest> FindLatest(const Applicant& applicant);

  // A reviewer's transition (review_action.h: approve, deny, revoke, reopen), applied
  // atomically and recorded in the audit log; `actor` is the reviewer's token name.
  // NOT_FOUND for an unknown id; INVALID_ARGUMENT for a missing required reason;
  // FAILED_PRECONDITION, naming the current state and who set it when, from a state the
  // transition does not start from. Of two reviewers acting at once exactly one succeeds.
  // `returned_claims` only with kApprove (INVALID_ARGUMENT otherwise, or when invalid).
  absl::StatusOr<ApprovalRequest> Apply(ReviewAction action, std::string_view id,
                                        std::string_view actor, std::string_view reason,
                                        const ReturnedClaims& returned_claims = {});

  // Records the expiry of up to `limit` overdue pending requests (pending -> expired, by
  // "system"); returns how many. Run periodically; the decision paths also treat an overdue
  // request as expired without waiting for it.
  absl::StatusOr<int> ExpireOverdue(int limit);

  // Purges the personal data of up to `limit` requests decided longer than the retention
  // period ago, recording a "purged" event for each; returns how many. Does nothing when
  // retention is zero.
  absl::StatusOr<int> PurgeOverdue(int limit);

 private:
  // Normalized, with the email's verification decided here (the caller's is ignored).
  Applicant Prepared(const Applicant& raw) const;
  bool IsOverdue(const ApprovalRequest& request, absl::Time now) const;
  // Moves an overdue request to expired inside the caller's transaction.
  absl::Status Expire(RequestRepository& repo, ApprovalRequest& request, absl::Time now);

  // Hook 2's decision, inside its transaction.
  absl::Status RecordRequest(RequestRepository& repo, const Applicant& applicant,
                             ConnectorOutcome& outcome);

  // Creates the applicant's request: approved or denied by the first matching policy rule,
  // pending otherwise. `replaced` is the applicant's expired request, if any.
  absl::StatusOr<ApprovalRequest> CreateRequest(RequestRepository& repo, const Applicant& applicant,
                                                const ApprovalRequest* replaced);

  RequestStore& store_;
  Clock& clock_;
  IdGenerator& ids_;
  const ApprovalSettings settings_;
};

}  // namespace gatehouse::core
