#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "domain/applicant.h"
#include "domain/approval_request.h"
#include "domain/clock.h"
#include "domain/connector_outcome.h"
#include "domain/id_generator.h"
#include "domain/request_store.h"

namespace gatehouse::core {

// The approval model of design.md §4: the connector decision table and reviewer decisions.
// Thread-safe: all state lives in the store, whose transactions are serialized.
class ApprovalService {
 public:
  ApprovalService(RequestStore& store, Clock& clock, IdGenerator& ids);

  // Hook 1 ("after federating"). Records nothing.
  absl::StatusOr<ConnectorOutcome> CheckApprovalStatus(const Applicant& applicant);

  // Hook 2 ("before creating the user"). Creates a pending request when the applicant has
  // none (or only an expired one) and counts an attempt otherwise. Find-and-create runs in
  // one transaction, so concurrent retries of the same call create one request. Returns only
  // after the change is durable.
  absl::StatusOr<ConnectorOutcome> RequestApproval(const Applicant& applicant);

  // NOT_FOUND for an unknown id.
  absl::StatusOr<ApprovalRequest> Get(std::string_view id);

  absl::StatusOr<RequestPage> List(const RequestQuery& query);

  // The most recent request matching the applicant's email or identities; NOT_FOUND if none,
  // INVALID_ARGUMENT if the applicant has neither.
  absl::StatusOr<ApprovalRequest> FindLatest(const Applicant& applicant);

  // pending -> approved by `actor`. NOT_FOUND for an unknown id; FAILED_PRECONDITION (naming
  // the current state, who set it and when) from any other state.
  absl::StatusOr<ApprovalRequest> Approve(std::string_view id, std::string_view actor,
                                          std::string_view reason);

  // pending -> denied by `actor`; `reason` is required (INVALID_ARGUMENT when empty).
  absl::StatusOr<ApprovalRequest> Deny(std::string_view id, std::string_view actor,
                                       std::string_view reason);

 private:
  absl::StatusOr<ApprovalRequest> Decide(std::string_view id, RequestState to,
                                         std::string_view actor, std::string_view reason);
  absl::StatusOr<ApprovalRequest> CreatePending(RequestRepository& repo,
                                                const Applicant& applicant);

  RequestStore& store_;
  Clock& clock_;
  IdGenerator& ids_;
};

}  // namespace gatehouse::core
