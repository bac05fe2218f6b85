#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "model/applicant_claims.h"
#include "model/hook.h"

namespace gatehouse::gateway {

// An Entra External ID custom authentication extension call (connector-contract.md §2).
struct ExtensionRequest {
  // OnAttributeCollectionStart ≈ check-approval, OnAttributeCollectionSubmit ≈
  // request-approval; nullopt when neither `type` nor `data.@odata.type` names one.
  std::optional<Hook> event;
  std::string tenant_id;  // data.tenantId
  ApplicantClaims claims;
};

// Parses the attribute envelope: each attribute is {"@odata.type" (or "@odata.Type"),
// "value", "attributeType"} or a bare value; multi-values come as a comma-separated string or,
// from older pages, an array of strings, and are kept as the comma-separated string Entra now
// sends. email, displayName, givenName and surname fill the named claims (email falls back to
// an identity with signInType "email"); every other attribute is kept with its JSON type. The
// locale is the client's, the client id the application of `source`.
// INVALID_ARGUMENT, with a message fit for the caller, for malformed JSON, JSON beyond the
// limits of json_limits.h, a missing `data` object or a known attribute of the wrong type.
absl::StatusOr<ExtensionRequest> ParseExtensionRequest(std::string_view body);

}  // namespace gatehouse::gateway
