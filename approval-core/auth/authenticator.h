#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "auth/role.h"
#include "auth/token_store.h"

namespace gatehouse::core {

// The caller behind a verified token.
struct Principal {
  std::string name;
  Role role;
};

// Checks `authorization: Bearer <token>` against the token store on every call, so a
// revoked token stops working at once, without a restart.
class Authenticator {
 public:
  explicit Authenticator(TokenStore& tokens) : tokens_(tokens) {}

  // UNAUTHENTICATED for a missing, malformed, unknown or revoked token; PERMISSION_DENIED
  // when the token's role is not in `allowed`; UNAVAILABLE if the store cannot be read.
  absl::StatusOr<Principal> Authenticate(std::string_view authorization_header,
                                         const std::vector<Role>& allowed);

 private:
  TokenStore& tokens_;
};

}  // namespace gatehouse::core
