#include "auth/authenticator.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "auth/token_secrets.h"
#include "common/bearer.h"

namespace gatehouse::core {

absl::StatusOr<Principal> Authenticator::Authenticate(std::string_view header,
                                                      const std::vector<Role>& allowed) {
  if (header.empty()) {
    return absl::UnauthenticatedError("missing 'authorization: Bearer <token>' metadata");
  }
  const std::optional<std::string_view> secret = BearerToken(header);
  if (!secret.has_value()) {
    return absl::UnauthenticatedError("authorization metadata must be 'Bearer <token>'");
  }
  const std::string hash = HashToken(*secret);
  auto found = tokens_.FindActiveByHash(hash);
  if (!found.ok()) return absl::UnavailableError("token store unavailable");
  // The lookup is by hash, so timing reveals nothing about the secret; the constant-time
  // comparison guards against a store that matched loosely.
  if (!found->has_value() || !ConstantTimeEquals((*found)->hash, hash)) {
    return absl::UnauthenticatedError("unknown or revoked token");
  }
  const TokenRecord& token = **found;
  if (std::find(allowed.begin(), allowed.end(), token.role) == allowed.end()) {
    std::vector<std::string> names;
    for (Role role : allowed) names.emplace_back(ToString(role));
    return absl::PermissionDeniedError(
        absl::StrCat("token '", token.name, "' has role ", std::string(ToString(token.role)),
                     "; this call needs ", absl::StrJoin(names, " or ")));
  }
  return Principal{token.name, token.role};
}

}  // namespace gatehouse::core
