#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "absl/time/time.h"
#include "domain/applicant.h"
#include "domain/claim_value.h"
#include "domain/request_state.h"

namespace gatehouse::core {

// One applicant's sign-up request as stored (design.md §4).
struct ApprovalRequest {
  std::string id;  // short and typeable
  RequestState state = RequestState::kPending;
  Applicant applicant;
  absl::Time created;
  absl::Time updated;
  std::optional<absl::Time> decided;
  std::optional<absl::Time> pending_since;  // set while pending: when it (re)entered the queue
  std::optional<absl::Time> purged;         // set once the applicant's personal data was removed
  std::string decided_by;                   // token name of the reviewer, or the rule, that decided
  std::string decision_reason;
  int64_t attempts = 0;            // times the applicant reached the request-approval hook
  int64_t version = 0;             // bumped on every change (optimistic concurrency)
  ReturnedClaims returned_claims;  // set by the approving reviewer, sent back on Continue
  // When this request was created for an applicant who shares the email of an earlier request
  // without matching it (another identity, or an unverified email): that request's id, shown
  // to reviewers. Empty otherwise.
  std::string same_email_as;
};

}  // namespace gatehouse::core
