#pragma once

#include <string_view>

#include "absl/status/statusor.h"
#include "model/applicant_claims.h"

namespace gatehouse::gateway {

// Parses the body of a classic API connector call (Azure AD B2C user flows, Entra
// self-service sign-up; connector-contract.md §1.2). Strict JSON; the body must be an object.
// Accepts every documented spelling: `email` or legacy `email_address`, `surname` or
// `lastName`, `client_id` or `clientId`; only the first tag of `ui_locales` is kept. Every other
// claim is kept, with its JSON type, in `other_claims_json`.
// INVALID_ARGUMENT, with a message fit for the caller, for malformed JSON, JSON beyond the
// limits of json_limits.h, or a known claim of the wrong type.
absl::StatusOr<ApplicantClaims> ParseClassicRequest(std::string_view body);

}  // namespace gatehouse::gateway
