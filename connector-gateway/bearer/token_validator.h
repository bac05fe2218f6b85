#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "bearer/key_source.h"

namespace gatehouse::gateway {

// Microsoft's application id for the Entra service that calls custom authentication
// extensions (connector-contract.md §2): tokens must name it in azp (v2) or appid (v1).
inline constexpr std::string_view kEntraCallerAppId = "99045fe1-7639-4a75-9d4a-577b6ca3810f";

// What a bearer token must say to be let in.
struct TokenPolicy {
  std::string tenant_id;               // the Entra tenant (GUID)
  std::vector<std::string> audiences;  // the API's app registration: client id or app id URI
  std::vector<std::string> callers = {std::string(kEntraCallerAppId)};
  std::chrono::seconds clock_skew{60};
};

// Validates the `Authorization: Bearer <JWT>` of an Entra custom authentication extension
// call: RS256 only (never "none" or HMAC), a signature by a key the tenant publishes, exp and
// nbf within the clock skew, the configured audience, an issuer of the tenant
// (login.microsoftonline.com/{tenant}/v2.0, {domain}.ciamlogin.com/{tenant}/v2.0 or the v1
// sts.windows.net/{tenant}/), tid if present, and Entra as the calling application.
class TokenValidator {
 public:
  TokenValidator(TokenPolicy policy, KeySource& keys);

  // OK, or UNAUTHENTICATED with the reason (fit for logs: it never quotes the token).
  absl::Status Validate(std::string_view authorization_header, absl::Time now) const;

  // Whether `issuer` is one of the tenant's issuer forms above.
  bool IsTenantIssuer(std::string_view issuer) const;

 private:
  TokenPolicy policy_;
  KeySource& keys_;
};

}  // namespace gatehouse::gateway
