#pragma once

#include "absl/status/status.h"
#include "domain/applicant.h"

namespace gatehouse::core {

// Fills `applicant.claims` from `applicant.claims_json` (an empty text counts as "{}" and is
// set so): the scalar claims, typed, for policy rules; arrays and objects stay in the JSON
// only. INVALID_ARGUMENT, naming claims_json, when it is not a JSON object. The one place
// approval-core reads an applicant's claims, for every adapter (gRPC, `policy test`).
absl::Status ParseClaimsJson(Applicant& applicant);

}  // namespace gatehouse::core
