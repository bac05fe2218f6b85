#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "domain/claim_value.h"

namespace gatehouse::core {

// A federated identity as the identity platform sends it (connector-contract.md §1.2).
struct FederatedIdentity {
  std::string sign_in_type;
  std::string issuer;
  std::string issuer_assigned_id;
};

// Who is asking to sign up. `email` is kept normalized once it enters the domain.
struct Applicant {
  std::string email;
  std::vector<FederatedIdentity> identities;
  std::string display_name;
  std::string given_name;
  std::string surname;
  std::string claims_json = "{}";  // every other claim, exactly as received (stored)
  // The scalar claims of claims_json, typed, for policy rules; filled by the adapter that
  // parses claims_json, not stored.
  std::map<std::string, ClaimValue> claims;
  std::string locale;
  std::string client_id;
  // Whether the identity platform proved that `email` belongs to this applicant (see
  // EmailIsVerified). Set by the approval service, stored with the request; only a verified
  // email matches another request (design.md §4).
  bool email_verified = false;
};

// Trims ASCII whitespace and lower-cases ASCII letters. Non-ASCII bytes are kept as they are,
// so an internationalized address still matches itself.
std::string NormalizeEmail(std::string_view email);

// Returns the applicant with its email normalized and identities lacking an issuer or an
// issuer-assigned id dropped (they could never be matched again).
Applicant Normalized(Applicant applicant);

// Whether the platform verified the applicant's email (design.md §4, "Matching"):
// - a local account: no federated identity, so the platform checked the address by one-time
//   code;
// - Entra's `email` sign-in identity for this very address;
// - an identity whose issuer the operator lists in `verified_email_issuers` (exact match).
// Any other identity provider may assert any address, so its email proves nothing.
// `applicant` must be Normalized.
bool EmailIsVerified(const Applicant& applicant,
                     const std::vector<std::string>& verified_email_issuers);

// True when the applicant can be recognized again: it has an email or a federated identity.
bool IsIdentifiable(const Applicant& applicant);

}  // namespace gatehouse::core
